using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LikenessFunctions.Tests.Deployment;

/// <summary>
/// The function app's CORS in Azure, read from the Bicep as written (no Bicep compiler runs here):
/// its origins come from a deployment parameter, as locally they come from Host.CORS, and
/// credentials stay off in both.
/// </summary>
[TestClass]
public sealed partial class CorsDeploymentTests
{
    private static readonly string MainBicep = File.ReadAllText(Repository.PathOf("infra", "main.bicep"));
    private static readonly string ApiBicep = File.ReadAllText(Repository.PathOf("infra", "app", "api.bicep"));

    [TestMethod]
    public void TheAllowedOriginsAreADeploymentParameterThatAzdFillsFromTheEnvironment()
    {
        StringAssert.Matches(MainBicep, ParameterDeclaration());
        var parameters = JsonNode.Parse(File.ReadAllText(Repository.PathOf("infra", "main.parameters.json")))!["parameters"]!;

        Assert.AreEqual("${AZURE_CORS_ALLOWED_ORIGINS}", (string?)parameters["corsAllowedOrigins"]?["value"]);
        StringAssert.Matches(MainBicep, ApiModuleCors(),
            "main.bicep passes the comma-separated origins to the app as a list");
    }

    [TestMethod]
    public void TheFunctionAppsSiteConfigAllowsThoseOriginsWithoutCredentials()
    {
        StringAssert.Matches(ApiBicep, SiteCors());
        Assert.IsFalse((bool)JsonNode.Parse(File.ReadAllText(Repository.PathOf("local.settings.sample.json")))!["Host"]!["CORSCredentials"]!,
            "locally too, a page's cookies are never sent to the API");
    }

    [GeneratedRegex(@"param corsAllowedOrigins string = ''")]
    private static partial Regex ParameterDeclaration();

    [GeneratedRegex(@"module api 'app/api\.bicep' = \{(?:(?!\n\}\n).)*corsAllowedOrigins: [^\n]*split\(corsAllowedOrigins, ','\)", RegexOptions.Singleline)]
    private static partial Regex ApiModuleCors();

    [GeneratedRegex(@"siteConfig: \{[^}]*cors: \{\s*allowedOrigins: corsAllowedOrigins\s*supportCredentials: false\s*\}")]
    private static partial Regex SiteCors();
}
