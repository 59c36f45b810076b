using System.Text.RegularExpressions;

namespace LikenessFunctions.Tests.Deployment;

/// <summary>
/// How infra/ lets the app reach PostgreSQL, read from the Bicep and azure.yaml as written (no
/// Bicep compiler runs here): the app's identity is no administrator, the server has no public
/// firewall rule and a private endpoint the app's VNet integration reaches, and the postprovision
/// hook that creates the app's role is wired and reads only what the deployment outputs.
/// </summary>
[TestClass]
public sealed partial class PostgresAccessTests
{
    private static readonly string MainBicep = File.ReadAllText(Repository.PathOf("infra", "main.bicep"));
    private static readonly string ApiBicep = File.ReadAllText(Repository.PathOf("infra", "app", "api.bicep"));
    private static readonly string Hook = File.ReadAllText(Repository.PathOf("infra", "hooks", "postprovision.sh"));

    [TestMethod]
    public void TheAppsIdentityIsNotAmongThePostgreSqlAdministrators()
    {
        var administrators = Block(Module("postgres"), "administrators:");
        Assert.AreEqual("postgresAdministrators", administrators.Trim());

        var definition = VariableDefinition("postgresAdministrators") + VariableDefinition("postgresAdminName");
        Assert.DoesNotContain("identity", definition, "the administrators must not name the app's managed identity");
        StringAssert.Contains(definition, "deployer().objectId");
    }

    [TestMethod]
    public void NoFirewallRuleOpensTheServerToAzureOrTheInternet()
    {
        foreach (var file in Directory.EnumerateFiles(Repository.PathOf("infra"), "*.bicep", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain("0.0.0.0'", File.ReadAllText(file), $"{file}: a 0.0.0.0 rule lets every Azure-hosted client reach the server");
        }
        StringAssert.Contains(Module("postgres"), "firewallRules: []");
    }

    [TestMethod]
    public void TheAppReachesThePostgreSqlPrivateEndpointThroughItsVirtualNetwork()
    {
        var postgres = Module("postgres");
        StringAssert.Contains(postgres, "subnetResourceId: network.outputs.privateEndpointSubnetResourceId");
        StringAssert.Contains(postgres, "privateDnsZoneResourceId: network.outputs.postgresPrivateDnsZoneResourceId");
        StringAssert.Contains(MainBicep, "virtualNetworkSubnetId: network.outputs.appSubnetResourceId");
        StringAssert.Contains(ApiBicep, "virtualNetworkSubnetId: virtualNetworkSubnetId");

        var network = File.ReadAllText(Repository.PathOf("infra", "app", "network.bicep"));
        StringAssert.Contains(network, "delegation: 'Microsoft.App/environments'", "Flex Consumption integrates with a Microsoft.App/environments subnet");
        StringAssert.Contains(network, "'privatelink.postgres.database.azure.com'");
    }

    [TestMethod]
    public void TheVectorExtensionIsAllowListedForTheHookToCreate()
    {
        var configurations = Block(Module("postgres"), "configurations:");

        StringAssert.Matches(configurations, AllowListsVector());
        StringAssert.Contains(File.ReadAllText(Repository.PathOf("infra", "hooks", "postgres-app-role.sql")), "CREATE EXTENSION IF NOT EXISTS vector;");
    }

    [TestMethod]
    public void AzdRunsThePostprovisionHook()
    {
        var azureYaml = File.ReadAllText(Repository.PathOf("azure.yaml"));

        StringAssert.Matches(azureYaml, new Regex(@"hooks:\s+(#[^\n]*\n\s*)*postprovision:\s+posix:\s+shell: sh\s+run: \./infra/hooks/postprovision\.sh"));
        Assert.IsTrue(File.Exists(Repository.PathOf("infra", "hooks", "postprovision.sh")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.IsTrue(File.GetUnixFileMode(Repository.PathOf("infra", "hooks", "postprovision.sh")).HasFlag(UnixFileMode.UserExecute), "azd runs the script itself: it must be executable");
        }
    }

    [TestMethod]
    public void EveryDeploymentValueTheHookReadsIsAnOutputOfMainBicep()
    {
        var outputs = OutputName().Matches(MainBicep).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        var read = HookSetting().Matches(Hook).Select(m => m.Value).Distinct().ToList();

        CollectionAssert.IsSubsetOf(new[] { "AZURE_MANAGED_IDENTITY_PRINCIPAL_ID", "AZURE_POSTGRES_ADMIN_NAME", "AZURE_POSTGRES_HOST" }, read);
        var missing = read.Where(name => !outputs.Contains(name) && name != "AZURE_POSTGRES_ADMIN_SP_NAME").ToList();
        Assert.IsEmpty(missing, $"The hook reads settings that main.bicep does not output: {string.Join(", ", missing)}");
    }

    [TestMethod]
    public void TheHookCreatesTheAppsRoleWithoutAdministratorRights()
    {
        StringAssert.Contains(Hook, "pgaadauth_create_principal_with_oid(:'app_role', :'app_object_id', 'service', false, false)");
        Assert.DoesNotContain("set -x", Hook, "tracing would print the token");
    }

    /// <summary>The text of <c>module NAME '...' = { ... }</c> in main.bicep, up to its closing brace at the start of a line.</summary>
    private static string Module(string name)
    {
        var start = MainBicep.IndexOf($"module {name} '", StringComparison.Ordinal);
        Assert.IsGreaterThanOrEqualTo(0, start, $"no module {name} in main.bicep");
        var end = MainBicep.IndexOf("\n}\n", start, StringComparison.Ordinal);
        return MainBicep[start..end];
    }

    private static string VariableDefinition(string name)
    {
        var start = MainBicep.IndexOf($"var {name} =", StringComparison.Ordinal);
        Assert.IsGreaterThanOrEqualTo(0, start, $"no var {name} in main.bicep");
        var end = MainBicep.IndexOf("\n\n", start, StringComparison.Ordinal);
        return MainBicep[start..end];
    }

    /// <summary>The value of <paramref name="key"/> inside <paramref name="text"/>: the rest of its line and every more-indented line after it.</summary>
    private static string Block(string text, string key)
    {
        var lines = text.Split('\n');
        var index = Array.FindIndex(lines, line => line.TrimStart().StartsWith(key, StringComparison.Ordinal));
        Assert.IsGreaterThanOrEqualTo(0, index, key);
        var indent = lines[index].Length - lines[index].TrimStart().Length;
        var value = new List<string> { lines[index].TrimStart()[key.Length..] };
        value.AddRange(lines.Skip(index + 1).TakeWhile(line => line.Trim().Length == 0 || line.Length - line.TrimStart().Length > indent || line.Trim() is "]" or "}" or ")"));
        return string.Join('\n', value);
    }

    [GeneratedRegex(@"name: 'azure\.extensions'\s+value: '[^']*\bVECTOR\b")]
    private static partial Regex AllowListsVector();

    [GeneratedRegex(@"^output (?<name>[A-Z_]+) ", RegexOptions.Multiline)]
    private static partial Regex OutputName();

    [GeneratedRegex(@"\bAZURE_[A-Z_]+\b")]
    private static partial Regex HookSetting();
}
