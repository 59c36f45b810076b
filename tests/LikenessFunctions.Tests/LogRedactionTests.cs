using System.Net;
using System.Text.Json.Nodes;
using Likeness.Testing;
using LikenessFunctions.Tests.Deployment;

namespace LikenessFunctions.Tests;

/// <summary>Keys in <c>?code=</c> and users' search text in <c>?q=</c> never reach the logs of the host or the worker.</summary>
[TestClass]
public sealed class LogRedactionTests
{
    [TestMethod]
    public async Task CodeAndSearchTextValuesNeverAppearInTheOutput()
    {
        const string Brief = "brief-blonde-violinist-7f3a";
        const string Code = "code-value-91c2";
        await using var db = await TestDatabase.CreateAsync();
        await using var app = await AppProcess.StartAsync(db.ConnectionString);

        using var search = await app.Client.GetAsync($"/api/likeness/search?q={Brief}&code={Code}");
        using var similar = await app.Client.GetAsync($"/api/likeness/accounts/nobody/similar?code={Code}&limit=5");
        using var media = await app.Client.GetAsync($"/api/media/none-zz11.png?q={Brief}");
        await app.InvokeAsync("PromoteRetryableEvents");

        Assert.AreEqual(HttpStatusCode.OK, search.StatusCode, app.Output);
        Assert.AreEqual(HttpStatusCode.NotFound, similar.StatusCode);
        Assert.AreEqual(HttpStatusCode.NotFound, media.StatusCode);
        StringAssert.Contains(app.Output, "/api/likeness/search?q=REDACTED&code=REDACTED 200");
        Assert.DoesNotContain(Brief, app.Output);
        Assert.DoesNotContain(Code, app.Output);
    }

    /// <summary>
    /// In Azure the host strips the query from its request telemetry, but the call it forwards to
    /// the worker carries the original query, so the host's dependency telemetry of that call could record keys and briefs.
    /// </summary>
    [TestMethod]
    public void HostJsonTurnsOffTheHostsDependencyTelemetryThatWouldRecordForwardedQueries()
    {
        var applicationInsights = JsonNode.Parse(File.ReadAllText(Repository.PathOf("host.json")))!["logging"]!["applicationInsights"]!;

        Assert.IsFalse((bool?)applicationInsights["enableDependencyTracking"] ?? true);
    }
}
