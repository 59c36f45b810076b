using System.Net;
using System.Text.RegularExpressions;
using Likeness.Testing;

namespace LikenessFunctions.Tests;

/// <summary>
/// No response names the server software: neither the local host's own answers nor the
/// worker's, which the host (as the Functions host in Azure) passes on with their headers.
/// </summary>
[TestClass]
public sealed partial class ServerHeaderTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task NoResponseThroughTheHostCarriesAServerHeader()
    {
        await using var db = await TestDatabase.CreateAsync(TestContext.CancellationToken);
        await using var app = await AppProcess.StartAsync(db.ConnectionString);
        using var withoutKey = new HttpClient { BaseAddress = app.Client.BaseAddress };

        // A worker answer (function run), the host's own answers (unknown route, missing key), and a worker error.
        var requests = new (HttpClient Client, string Path, HttpStatusCode Status)[]
        {
            (app.Client, "/api/health", HttpStatusCode.OK),
            (app.Client, "/api/openapi.json", HttpStatusCode.OK),
            (app.Client, "/api/likeness/search?limit=0", HttpStatusCode.BadRequest),
            (app.Client, "/api/no-such-route", HttpStatusCode.NotFound),
            (withoutKey, "/api/likeness/search", HttpStatusCode.Unauthorized),
        };
        foreach (var (client, path, status) in requests)
        {
            using var response = await client.GetAsync(path, TestContext.CancellationToken);

            Assert.AreEqual(status, response.StatusCode, $"{path}{Environment.NewLine}{app.Output}");
            Assert.IsEmpty(response.Headers.Server, $"{path} answered Server: {response.Headers.Server}");
            Assert.IsFalse(response.Headers.Contains("Server"), path);
        }
    }

    [TestMethod]
    public async Task TheWorkersOwnKestrelSendsNoServerHeader()
    {
        await using var db = await TestDatabase.CreateAsync(TestContext.CancellationToken);
        await using var app = await AppProcess.StartAsync(db.ConnectionString);
        var address = WorkerAddress().Match(app.Output);
        Assert.IsTrue(address.Success, app.Output);
        using var worker = new HttpClient { BaseAddress = new Uri(address.Groups["uri"].Value) };

        // Without the host's invocation the worker answers 500 at once; its headers are what matter here.
        using var response = await worker.GetAsync("/api/health", TestContext.CancellationToken);

        Assert.IsFalse(response.Headers.Contains("Server"), $"the worker answered Server: {response.Headers.Server}");
    }

    [GeneratedRegex(@"Worker HTTP at (?<uri>http://\S+)")]
    private static partial Regex WorkerAddress();
}
