using System.Net;
using System.Text.Json;
using Likeness.Testing;

namespace LikenessFunctions.Tests;

[TestClass]
public sealed class HealthAndStartupTests
{
    [TestMethod]
    public async Task HealthIsOkWhenTheDatabaseAnswers()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var app = await AppProcess.StartAsync(db.ConnectionString);

        using var response = await app.Client.GetAsync("/api/health");
        var body = await ReadJsonAsync(response);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, app.Output);
        Assert.AreEqual("ok", body.GetProperty("database").GetString());
        Assert.AreEqual("ok", body.GetProperty("status").GetString());
    }

    [TestMethod]
    public async Task WithApplicationInsightsConfiguredTheWorkerStartsAndServes()
    {
        await using var db = await TestDatabase.CreateAsync();
        // Nothing listens there: telemetry is registered and sent, and its failure stays away from requests.
        await using var app = await AppProcess.StartAsync(db.ConnectionString, new Dictionary<string, string>
        {
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/",
        });

        using var response = await app.Client.GetAsync("/api/health");

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, app.Output);
    }

    [TestMethod]
    public async Task HealthIs503WhenTheDatabaseIsUnreachable()
    {
        var nobodyListens = "Host=127.0.0.1;Port=1;Username=postgres;Database=likeness;Timeout=2";
        await using var app = await AppProcess.StartAsync(nobodyListens, new Dictionary<string, string> { ["Database__MigrateOnStartup"] = "false" });

        using var response = await app.Client.GetAsync("/api/health");
        var body = await ReadJsonAsync(response);

        Assert.AreEqual(HttpStatusCode.ServiceUnavailable, response.StatusCode, app.Output);
        Assert.AreEqual("unreachable", body.GetProperty("database").GetString());
    }

    [TestMethod]
    public async Task AppMigratesAnEmptyDatabaseBeforeServing()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        await using var app = await AppProcess.StartAsync(db.ConnectionString);

        var applied = await db.ScalarAsync("SELECT count(*) FROM schema_migrations");

        Assert.AreEqual((long)Likeness.Shared.Data.DatabaseMigrator.Migrations.Count, applied, app.Output);
    }

    [TestMethod]
    public async Task MigrateCommandAppliesPendingMigrationsThenReportsUpToDate()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();

        var first = await AppProcess.RunCommandAsync(db.ConnectionString, "migrate");
        var second = await AppProcess.RunCommandAsync(db.ConnectionString, "migrate");

        Assert.AreEqual(0, first.ExitCode, first.Output);
        StringAssert.Contains(first.Output, $"Applied {Likeness.Shared.Data.DatabaseMigrator.Migrations.Count} migration(s): 0001_initial_schema, ");
        Assert.AreEqual(0, second.ExitCode, second.Output);
        StringAssert.Contains(second.Output, "Database is up to date.");
    }

    [TestMethod]
    public async Task MigrateCommandFailsWithANonZeroExitCodeWhenTheDatabaseIsUnreachable()
    {
        var (exitCode, output) = await AppProcess.RunCommandAsync("Host=127.0.0.1;Port=1;Username=postgres;Database=likeness;Timeout=2", "migrate");

        Assert.AreNotEqual(0, exitCode, output);
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
}
