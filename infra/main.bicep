targetScope = 'subscription'

// Everything the Likeness Search function app needs in Azure, reached with one user-assigned
// managed identity: no keys or passwords anywhere (the ElevenLabs key, the only third-party
// secret, lives in Key Vault). Role assignments are all in app/rbac.bicep. The identity is no
// PostgreSQL administrator: infra/hooks/postprovision.sh, run by azd as the deployer (who is
// one), maps it to a role that may only create and own the app's objects in its database.

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; with the subscription and location it seeds every resource name.')
param environmentName string

@minLength(1)
@description('Region of every resource except Azure OpenAI. Must offer Flex Consumption function apps.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Region of Azure OpenAI when the models are not offered in the main region; empty means the main region.')
param aiLocation string = ''

@description('Object id of the developer running azd (AZURE_PRINCIPAL_ID): gets data access for debugging. Empty skips it.')
param principalId string = ''

@allowed([
  'User'
  'ServicePrincipal'
])
param principalType string = 'User'

@description('PostgreSQL\'s Entra administrator when azd runs as a service principal: that principal\'s display name (AZURE_POSTGRES_ADMIN_SP_NAME). A user who runs azd is the administrator by their UPN and needs nothing here.')
param postgresAdminServicePrincipalName string = ''

@secure()
@description('ElevenLabs API key, stored in Key Vault. Empty leaves voice cloning off.')
param elevenLabsApiKey string = ''

@description('Chat model that reads images and profile text.')
param visionModelName string = 'gpt-4o-mini'
param visionModelVersion string = '2024-07-18'
param visionModelCapacity int = 30

@description('Chat model that accepts audio input (voice samples).')
param audioModelName string = 'gpt-4o-audio-preview'
param audioModelVersion string = '2024-12-17'
param audioModelCapacity int = 10

@description('Embedding model; the database stores vector(1536), which text-embedding-3-small produces.')
param embeddingModelName string = 'text-embedding-3-small'
param embeddingModelVersion string = '1'
param embeddingModelCapacity int = 30

param postgresSkuName string = 'Standard_B1ms'
@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param postgresTier string = 'Burstable'
param postgresVersion string = '16'

@description('Browser origins allowed to call the API (CORS), separated by commas as local.settings.json\'s Host.CORS is (AZURE_CORS_ALLOWED_ORIGINS), e.g. https://app.example.com. Credentials are never allowed; empty lets no page call it.')
param corsAllowedOrigins string = ''

var abbrs = loadJsonContent('./abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }

var functionAppName = '${abbrs.webSitesFunctions}api-${resourceToken}'
var identityName = '${abbrs.managedIdentityUserAssignedIdentities}api-${resourceToken}'
var storageAccountName = '${abbrs.storageStorageAccounts}${resourceToken}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(toLower(uniqueString(functionAppName, resourceToken)), 7)}'
var mediaContainerName = 'media'
// Created up front so that the host's Owner role can be scoped to them (app/rbac.bicep).
var hostContainerNames = [
  'azure-webjobs-hosts'
  'azure-webjobs-secrets'
]
var postgresServerName = '${abbrs.dBforPostgreSQLServers}${resourceToken}'
var databaseName = 'likeness'
var openAiName = '${abbrs.cognitiveServicesAccounts}${resourceToken}'
var keyVaultName = '${abbrs.keyVaultVaults}${resourceToken}'
var elevenLabsSecretName = 'elevenlabs-api-key'

// Whoever runs azd is PostgreSQL's Entra administrator (and the only one), so that the
// postprovision hook can create the app's role with their token: a user by their UPN, a service
// principal (CI; no UPN) by the display name given in postgresAdminServicePrincipalName.
var deployerUpn = deployer().?userPrincipalName ?? ''
var postgresAdminName = !empty(deployerUpn) ? deployerUpn : postgresAdminServicePrincipalName
var postgresAdministrators = empty(postgresAdminName)
  ? []
  : [
      {
        objectId: deployer().objectId
        principalName: postgresAdminName
        principalType: !empty(deployerUpn) ? 'User' : 'ServicePrincipal'
      }
    ]

resource rg 'Microsoft.Resources/resourceGroups@2021-04-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

// The app's outbound traffic and PostgreSQL's private endpoint (app/network.bicep).
module network 'app/network.bicep' = {
  name: 'network'
  scope: rg
  params: {
    name: '${abbrs.networkVirtualNetworks}${resourceToken}'
    location: location
    tags: tags
  }
}

module identity 'br/public:avm/res/managed-identity/user-assigned-identity:0.4.1' = {
  name: 'identity'
  scope: rg
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

module appServicePlan 'br/public:avm/res/web/serverfarm:0.1.1' = {
  name: 'appServicePlan'
  scope: rg
  params: {
    name: '${abbrs.webServerFarms}${resourceToken}'
    sku: {
      name: 'FC1'
      tier: 'FlexConsumption'
    }
    reserved: true
    location: location
    tags: tags
  }
}

module storage 'br/public:avm/res/storage/storage-account:0.8.3' = {
  name: 'storage'
  scope: rg
  params: {
    name: storageAccountName
    location: location
    tags: tags
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    dnsEndpointType: 'Standard'
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
    minimumTlsVersion: 'TLS1_2'
    blobServices: {
      containers: [
        { name: deploymentContainerName }
        { name: mediaContainerName }
        { name: hostContainerNames[0] }
        { name: hostContainerNames[1] }
      ]
    }
  }
}

module logAnalytics 'br/public:avm/res/operational-insights/workspace:0.11.1' = {
  name: 'logAnalytics'
  scope: rg
  params: {
    name: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    location: location
    tags: tags
    dataRetention: 30
  }
}

module appInsights 'br/public:avm/res/insights/component:0.6.0' = {
  name: 'appInsights'
  scope: rg
  params: {
    name: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
    workspaceResourceId: logAnalytics.outputs.resourceId
    disableLocalAuth: true
  }
}

module postgres 'br/public:avm/res/db-for-postgre-sql/flexible-server:0.15.3' = {
  name: 'postgres'
  scope: rg
  params: {
    name: postgresServerName
    location: location
    tags: tags
    skuName: postgresSkuName
    tier: postgresTier
    version: postgresVersion
    storageSizeGB: 32
    availabilityZone: -1
    highAvailability: 'Disabled'
    highAvailabilityZone: -1
    geoRedundantBackup: 'Disabled'
    // The public endpoint stays on for the operators' tools, but with no firewall rule it accepts
    // no connection: the app comes through the private endpoint, and the postprovision hook
    // opens a rule for the deployer's own address only while it runs.
    publicNetworkAccess: 'Enabled'
    firewallRules: []
    privateEndpoints: [
      {
        subnetResourceId: network.outputs.privateEndpointSubnetResourceId
        privateDnsZoneGroup: {
          privateDnsZoneGroupConfigs: [
            {
              privateDnsZoneResourceId: network.outputs.postgresPrivateDnsZoneResourceId
            }
          ]
        }
      }
    ]
    authConfig: {
      activeDirectoryAuth: 'Enabled'
      passwordAuth: 'Disabled'
      tenantId: tenant().tenantId
    }
    administrators: postgresAdministrators
    databases: [
      {
        name: databaseName
        charset: 'UTF8'
        collation: 'en_US.utf8'
      }
    ]
    configurations: [
      {
        // Azure allows CREATE EXTENSION only for listed extensions. The postprovision hook creates
        // vector as the administrator, so the migrations' CREATE EXTENSION IF NOT EXISTS is a no-op
        // for the app's role, which may not create extensions.
        name: 'azure.extensions'
        value: 'VECTOR'
        source: 'user-override'
      }
    ]
  }
}

module openAi 'br/public:avm/res/cognitive-services/account:0.13.2' = {
  name: 'openAi'
  scope: rg
  params: {
    name: openAiName
    kind: 'OpenAI'
    sku: 'S0'
    location: empty(aiLocation) ? location : aiLocation
    tags: tags
    customSubDomainName: openAiName
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
    deployments: [
      {
        name: visionModelName
        model: {
          format: 'OpenAI'
          name: visionModelName
          version: visionModelVersion
        }
        sku: {
          name: 'GlobalStandard'
          capacity: visionModelCapacity
        }
      }
      {
        name: audioModelName
        model: {
          format: 'OpenAI'
          name: audioModelName
          version: audioModelVersion
        }
        sku: {
          name: 'GlobalStandard'
          capacity: audioModelCapacity
        }
      }
      {
        name: embeddingModelName
        model: {
          format: 'OpenAI'
          name: embeddingModelName
          version: embeddingModelVersion
        }
        sku: {
          name: 'GlobalStandard'
          capacity: embeddingModelCapacity
        }
      }
    ]
  }
}

module keyVault 'br/public:avm/res/key-vault/vault:0.13.3' = {
  name: 'keyVault'
  scope: rg
  params: {
    name: keyVaultName
    location: location
    tags: tags
    enableRbacAuthorization: true
    enablePurgeProtection: false
    publicNetworkAccess: 'Enabled'
    secrets: empty(elevenLabsApiKey)
      ? []
      : [
          {
            name: elevenLabsSecretName
            value: elevenLabsApiKey
          }
        ]
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    mediaContainerName: mediaContainerName
    deploymentContainerName: deploymentContainerName
    hostContainerNames: hostContainerNames
    appInsightsName: appInsights.outputs.name
    openAiName: openAi.outputs.name
    keyVaultName: keyVault.outputs.name
    identityPrincipalId: identity.outputs.principalId
    developerPrincipalId: principalId
    developerPrincipalType: principalType
  }
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: functionAppName
    location: location
    tags: tags
    appServicePlanId: appServicePlan.outputs.resourceId
    virtualNetworkSubnetId: network.outputs.appSubnetResourceId
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    mediaContainerName: mediaContainerName
    identityResourceId: identity.outputs.resourceId
    identityClientId: identity.outputs.clientId
    identityName: identityName
    appInsightsName: appInsights.outputs.name
    postgresHost: postgres.outputs.?fqdn ?? '${postgresServerName}.postgres.database.azure.com'
    databaseName: databaseName
    openAiEndpoint: 'https://${openAiName}.openai.azure.com/'
    visionModel: visionModelName
    audioModel: audioModelName
    embeddingModel: embeddingModelName
    corsAllowedOrigins: map(filter(split(corsAllowedOrigins, ','), origin => !empty(trim(origin))), origin => trim(origin))
    elevenLabsApiKeyReference: empty(elevenLabsApiKey) ? '' : '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.uri}secrets/${elevenLabsSecretName})'
  }
  // The host reads its storage and the app its secrets as soon as the site exists.
  dependsOn: [
    rbac
  ]
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_NAME string = api.outputs.SERVICE_API_NAME
output SERVICE_API_NAME string = api.outputs.SERVICE_API_NAME
output SERVICE_API_URI string = api.outputs.SERVICE_API_URI
output AZURE_MANAGED_IDENTITY_NAME string = identityName
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
// The hook maps the identity's PostgreSQL role (named like the identity) to this object id.
output AZURE_MANAGED_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_MEDIA_CONTAINER string = mediaContainerName
output AZURE_POSTGRES_HOST string = postgres.outputs.?fqdn ?? '${postgresServerName}.postgres.database.azure.com'
output AZURE_POSTGRES_SERVER_NAME string = postgresServerName
output AZURE_POSTGRES_DATABASE string = databaseName
// The role the postprovision hook signs in as; empty when no administrator could be set.
output AZURE_POSTGRES_ADMIN_NAME string = postgresAdminName
output AZURE_OPENAI_ENDPOINT string = 'https://${openAiName}.openai.azure.com/'
output AZURE_OPENAI_VISION_DEPLOYMENT string = visionModelName
output AZURE_OPENAI_AUDIO_DEPLOYMENT string = audioModelName
output AZURE_OPENAI_EMBEDDING_DEPLOYMENT string = embeddingModelName
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.outputs.uri
output APPLICATIONINSIGHTS_CONNECTION_STRING string = appInsights.outputs.connectionString
