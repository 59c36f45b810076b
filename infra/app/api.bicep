// The function app: Flex Consumption, runtime dotnet-isolated 10.0, running the isolated worker
// that `dotnet publish` packages (worker.config.json, functions.metadata). Every setting the app
// reads in Azure is set here; tests/LikenessFunctions.Tests checks this file against the app's options.

param name string
param location string = resourceGroup().location
param tags object = {}
param appServicePlanId string

@description('Subnet (delegated to Microsoft.App/environments) the app\'s outbound traffic goes through: it reaches PostgreSQL by its private endpoint there.')
param virtualNetworkSubnetId string

param storageAccountName string
param deploymentContainerName string
param mediaContainerName string

param identityResourceId string
param identityClientId string
@description('The identity\'s resource name, which is its PostgreSQL user name.')
param identityName string

param appInsightsName string

param postgresHost string
param databaseName string

@description('The Azure OpenAI resource endpoint, e.g. https://NAME.openai.azure.com/ (AzureOpenAIClient adds the deployment paths).')
param openAiEndpoint string
param visionModel string
param audioModel string
param embeddingModel string

@description('Key Vault reference for the ElevenLabs key; empty leaves voice cloning off.')
param elevenLabsApiKeyReference string = ''

@description('Browser origins allowed to call the API; the function key, not a cookie, authorizes calls, so credentials stay off.')
param corsAllowedOrigins array = []

param instanceMemoryMB int = 2048
param maximumInstanceCount int = 100

resource storageAccount 'Microsoft.Storage/storageAccounts@2022-09-01' existing = {
  name: storageAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

var hostSettings = {
  // Host storage through the managed identity; the account allows no shared keys.
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
}

var appSettings = {
  // No password: Database__UseEntraAuthentication makes the app send an Entra token as the password.
  ConnectionStrings__Likeness: 'Host=${postgresHost};Database=${databaseName};Username=${identityName};Ssl Mode=Require'
  Database__UseEntraAuthentication: 'true'
  Database__ManagedIdentityClientId: identityClientId
  Database__MigrateOnStartup: 'true'
  MediaStorage__ServiceUri: storageAccount.properties.primaryEndpoints.blob
  MediaStorage__ClientId: identityClientId
  MediaStorage__Container: mediaContainerName
  AI__Endpoint: openAiEndpoint
  AI__UseManagedIdentity: 'true'
  AI__ManagedIdentityClientId: identityClientId
  AI__VisionModel: visionModel
  AI__AudioModel: audioModel
  AI__EmbeddingModel: embeddingModel
}

// Each timer reads its schedule as %Timers:Name:Schedule%: the host fails a timer whose setting
// is missing, so every timer is listed, with the defaults of local.settings.sample.json.
var timerSettings = {
  Timers__ProcessIndexingQueue__Schedule: '*/10 * * * * *'
  Timers__SweepTimedOutEvents__Schedule: '0 * * * * *'
  Timers__PromoteRetryableEvents__Schedule: '*/30 * * * * *'
}

var secretSettings = empty(elevenLabsApiKeyReference)
  ? {}
  : {
      ElevenLabs__ApiKey: elevenLabsApiKeyReference
    }

module functionApp 'br/public:avm/res/web/site:0.15.1' = {
  name: 'functionApp'
  params: {
    kind: 'functionapp,linux'
    name: name
    location: location
    tags: union(tags, { 'azd-service-name': 'api' })
    serverFarmResourceId: appServicePlanId
    managedIdentities: {
      userAssignedResourceIds: [
        identityResourceId
      ]
    }
    // Flex Consumption VNet integration: all outbound traffic goes through this subnet, where
    // the server's name resolves to its private endpoint (app/network.bicep).
    virtualNetworkSubnetId: virtualNetworkSubnetId
    // Key Vault references resolve with this identity rather than a system-assigned one.
    keyVaultAccessIdentityResourceId: identityResourceId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageAccount.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityResourceId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      alwaysOn: false
      cors: {
        allowedOrigins: corsAllowedOrigins
        supportCredentials: false
      }
    }
    appSettingsKeyValuePairs: union(hostSettings, appSettings, timerSettings, secretSettings)
  }
}

output SERVICE_API_NAME string = functionApp.outputs.name
output SERVICE_API_URI string = 'https://${functionApp.outputs.defaultHostname}'
