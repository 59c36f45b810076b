// The app's private network: the function app's outbound traffic (Flex Consumption VNet
// integration) and PostgreSQL's private endpoint live here, so the database needs no public
// firewall rule for the app. Only PostgreSQL is private: Blob Storage, Azure OpenAI and Key Vault
// stay public behind Entra ID (no shared keys, no local auth), see the README's deploy section.

param name string
param location string = resourceGroup().location
param tags object = {}

@description('Address space of the virtual network; the two subnets take the first two /24s.')
param addressPrefix string = '10.40.0.0/16'

var appSubnetName = 'app'
var privateEndpointSubnetName = 'private-endpoints'
// The zone PostgreSQL flexible server's private endpoints register in; the server's public name
// resolves through it (a CNAME to <server>.privatelink...) inside the linked network.
var postgresPrivateDnsZoneName = 'privatelink.postgres.database.azure.com'

module virtualNetwork 'br/public:avm/res/network/virtual-network:0.6.1' = {
  name: 'virtualNetwork'
  params: {
    name: name
    location: location
    tags: tags
    addressPrefixes: [
      addressPrefix
    ]
    subnets: [
      {
        // Flex Consumption integrates with a subnet delegated to Microsoft.App/environments,
        // used by this app alone.
        name: appSubnetName
        addressPrefix: cidrSubnet(addressPrefix, 24, 0)
        delegation: 'Microsoft.App/environments'
      }
      {
        name: privateEndpointSubnetName
        addressPrefix: cidrSubnet(addressPrefix, 24, 1)
        privateEndpointNetworkPolicies: 'Disabled'
      }
    ]
  }
}

module postgresPrivateDnsZone 'br/public:avm/res/network/private-dns-zone:0.7.1' = {
  name: 'postgresPrivateDnsZone'
  params: {
    name: postgresPrivateDnsZoneName
    location: 'global'
    tags: tags
    virtualNetworkLinks: [
      {
        name: '${name}-link'
        virtualNetworkResourceId: virtualNetwork.outputs.resourceId
        registrationEnabled: false
      }
    ]
  }
}

output appSubnetResourceId string = '${virtualNetwork.outputs.resourceId}/subnets/${appSubnetName}'
output privateEndpointSubnetResourceId string = '${virtualNetwork.outputs.resourceId}/subnets/${privateEndpointSubnetName}'
output postgresPrivateDnsZoneResourceId string = postgresPrivateDnsZone.outputs.resourceId
