using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Likeness.Testing;
using Npgsql;

namespace LikenessFunctions.Tests;

/// <summary>
/// A locked search table and a small pool: searches fail fast with 503 and Retry-After instead of
/// hanging into an empty 500, and health says the database is busy, not unreachable.
/// </summary>
[TestClass]
public sealed class DatabaseBusyTests
{
    private const int PoolSize = 3;
    private static readonly TimeSpan SearchTimeout = TimeSpan.FromSeconds(6);
    private static TestDatabase db = null!;
    private static AppProcess app = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext _)
    {
        db = await TestDatabase.CreateAsync();
        app = await AppProcess.StartAsync($"{db.ConnectionString};Maximum Pool Size={PoolSize}", new Dictionary<string, string>
        {
            ["Search__Timeout"] = SearchTimeout.ToString(),
            // What a locked table stalls is the SQL path; the read model would answer from memory.
            ["SearchReadModel__Enabled"] = "false",
        });
    }

    [ClassCleanup]
    public static async Task CleanupAsync()
    {
        await app.DisposeAsync();
        await db.DisposeAsync();
    }

    [TestMethod]
    public async Task SearchesOnALockedTableAnswer503WithRetryAfterWithinTheTimeoutAndHealthSaysBusy()
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE likeness_search IN ACCESS EXCLUSIVE MODE", connection, transaction))
        {
            await lockTable.ExecuteNonQueryAsync();
        }
        var clock = Stopwatch.StartNew();

        var searches = Enumerable.Range(0, PoolSize * 3).Select(_ => app.CreateClient().GetAsync("/api/likeness/search?category=MODELS")).ToList();
        // Long enough for every search to hold or wait for a connection, short enough that health waits past its own timeout.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        using var health = await app.Client.GetAsync("/api/health");
        var answers = await Task.WhenAll(searches);
        var elapsed = clock.Elapsed;
        await transaction.RollbackAsync();
        using var healthAfter = await app.Client.GetAsync("/api/health");

        foreach (var answer in answers)
        {
            Assert.AreEqual(HttpStatusCode.ServiceUnavailable, answer.StatusCode, app.Output);
            Assert.AreEqual("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
            Assert.AreEqual(TimeSpan.FromSeconds(5), answer.Headers.RetryAfter?.Delta);
            Assert.AreEqual("no-store", answer.Headers.CacheControl?.ToString());
            answer.Dispose();
        }
        Assert.IsLessThan(SearchTimeout * 3, elapsed, "queued searches wait at most the timeout each, not forever");
        Assert.AreEqual(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        using var report = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
        Assert.AreEqual("busy", report.RootElement.GetProperty("database").GetString(), app.Output);
        Assert.IsNotNull(health.Headers.RetryAfter);
        Assert.AreEqual(HttpStatusCode.OK, healthAfter.StatusCode, "the pool recovers once the lock is gone");
    }
}
