using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Likeness.Shared.Data;
using Likeness.Testing;

namespace LikenessFunctions.Tests;

[TestClass]
public sealed partial class QueueRobustnessTests
{
    private const string Process = "ProcessIndexingQueue";

    [TestMethod]
    public async Task EventsInProgressWhenTheAppIsKilledAllEndCompletedAfterARestart()
    {
        const int accounts = 8, workers = 4;
        await using var harness = await PipelineHarness.StartAsync(new()
        {
            ["Indexing__MaxParallelism"] = workers.ToString(CultureInfo.InvariantCulture),
            ["Indexing__InProgressTimeout"] = "00:00:01",
            ["AI__TimeoutSeconds"] = "60",
        });
        harness.Ai.HangTime = TimeSpan.FromSeconds(60);
        harness.Ai.FailNext(workers, FakeFailure.Hang);
        var events = new List<string>();
        for (var i = 0; i < accounts; i++)
        {
            var account = await harness.CreateCompleteAccountAsync();
            await harness.AddImageAsync(account);
            events.Add(await harness.EnqueueAsync(account.Id));
        }
        var doomed = harness.App;
        var run = harness.InvokeTimerAsync(Process, doomed);
        // Killed only once every worker is stuck inside its model call, mid-pipeline.
        await WaitUntilAsync(() => Task.FromResult(harness.Ai.ChatRequests.Count == workers));
        Assert.AreEqual((long)workers, await harness.Db.ScalarAsync("SELECT count(*) FROM likeness_need_indexing_queue WHERE status = 'IN_PROGRESS'"));

        doomed.Kill();
        await Assert.ThrowsAsync<HttpRequestException>(() => run);
        var restarted = await harness.StartAppAsync();
        var completedByRuns = 0;
        for (var round = 0; round < 10 && await UnfinishedAsync(harness) > 0; round++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1.1));
            await harness.InvokeTimerAsync("SweepTimedOutEvents", restarted);
            await harness.InvokeTimerAsync("PromoteRetryableEvents", restarted);
            completedByRuns += Completed(await harness.InvokeTimerAsync(Process, restarted));
        }

        var final = new List<QueueEvent>();
        foreach (var id in events)
        {
            final.Add(await harness.EventAsync(id));
        }
        Assert.IsTrue(final.All(e => e.Status == QueueStatus.Completed), string.Join(", ", final.Select(e => e.Status)));
        Assert.AreEqual(workers, final.Count(e => e.RetryCount == 1), "the killed run's events were retried once");
        Assert.AreEqual(accounts, completedByRuns, "each event was completed by exactly one run");
        Assert.AreEqual((long)accounts, await harness.Db.ScalarAsync("SELECT count(*) FROM likeness_search"));
    }

    [TestMethod]
    public async Task FourAppInstancesDrainTwoThousandEventsForFiveHundredAccountsProcessingEachOnce()
    {
        const int accountCount = 500, eventsPerAccount = 4;
        await using var harness = await PipelineHarness.StartAsync(new() { ["AI__Endpoint"] = "", ["Indexing__MaxParallelism"] = "4" }, startApp: false);
        var accounts = await CreateIndexableAccountsAsync(harness, accountCount);
        var queue = harness.Queue;
        var order = Enumerable.Range(0, accountCount * eventsPerAccount).Select(i => accounts[i % accountCount]).OrderBy(_ => Random.Shared.Next()).ToList();
        await Parallel.ForEachAsync(order, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (accountId, ct) => await queue.AddToQueueAsync(accountId, QueueElementType.SocialData, null, null, ct));
        var apps = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => harness.StartAppAsync()));

        using var stop = new CancellationTokenSource();
        var doubleClaims = WatchForAccountsInProgressTwiceAsync(harness.Db, stop.Token);
        var completed = 0;
        for (var round = 0; round < 50 && await UnfinishedAsync(harness) > 0; round++)
        {
            var logs = await Task.WhenAll(apps.Select(app => harness.InvokeTimerAsync(Process, app)));
            completed += logs.Sum(Completed);
        }
        await stop.CancelAsync();

        Assert.IsEmpty(await doubleClaims, "no account ever had two events in progress");
        Assert.AreEqual(0L, await UnfinishedAsync(harness));
        Assert.AreEqual((long)accountCount, await harness.Db.ScalarAsync("SELECT count(*) FROM likeness_need_indexing_queue WHERE status = 'COMPLETED'"));
        Assert.AreEqual((long)accountCount * (eventsPerAccount - 1), await harness.Db.ScalarAsync("SELECT count(*) FROM likeness_need_indexing_queue WHERE status = 'DISCARDED'"));
        Assert.AreEqual(accountCount, completed, "the runs together completed each account's event once");
        Assert.AreEqual((long)accountCount, await harness.Db.ScalarAsync("SELECT count(*) FROM likeness_search"));
        Assert.AreEqual((long)accountCount, await harness.Db.ScalarAsync("SELECT count(*) FROM likeness_search_vector"));
    }

    [TestMethod]
    public async Task SweepDeletesFinishedEventsPastTheirRetentionAndLogsHowMany()
    {
        await using var harness = await PipelineHarness.StartAsync(new()
        {
            ["Indexing__RetainFinishedEvents"] = "2.00:00:00",
            ["Indexing__RetainFailedEvents"] = "5.00:00:00",
            ["Indexing__RetentionBatchSize"] = "2",
        });
        var account = await harness.CreateCompleteAccountAsync();
        var kept = new List<string>();
        async Task<string> FinishedAsync(string status, int daysAgo)
        {
            var queued = await harness.Queue.AddToQueueAsync(account.Id, QueueElementType.SocialData, null, null);
            await harness.Db.ScalarAsync(
                "UPDATE likeness_need_indexing_queue SET status = $2::likeness_need_indexing_queue_status, updated_at = now() - make_interval(days => $3) WHERE id = $1",
                queued.Id, status, daysAgo);
            return queued.Id;
        }
        await FinishedAsync("COMPLETED", 3);
        await FinishedAsync("COMPLETED", 3);
        await FinishedAsync("DISCARDED", 3);
        await FinishedAsync("FAILED", 6);
        kept.Add(await FinishedAsync("FAILED", 3));
        kept.Add(await FinishedAsync("COMPLETED", 1));

        var log = await harness.InvokeTimerAsync("SweepTimedOutEvents");

        StringAssert.Contains(log, "deleted 3 finished and 1 failed events past retention");
        StringAssert.Contains(log, "Retention deleted 3 completed or discarded and 1 failed events");
        Assert.AreEqual(string.Join(',', kept.Order(StringComparer.Ordinal)),
            await harness.Db.ScalarAsync("SELECT string_agg(id, ',' ORDER BY id COLLATE \"C\") FROM likeness_need_indexing_queue"));
    }

    private static async Task<List<string>> CreateIndexableAccountsAsync(PipelineHarness harness, int count)
    {
        var ids = new ConcurrentBag<string>();
        var assets = new LikenessAssetsAccess(harness.Db.DataSource);
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var account = await harness.CreateCompleteAccountAsync();
            var tags = new SearchAttributes { HairColor = (HairColor)(i % 9), Gender = (Gender)(i % 3), BirthYear = 1970 + i % 40 };
            await assets.CreateAssetAsync(new NewLikenessAsset(account.Id, AssetType.Image, "photo-ab12.png", tags), ct);
            ids.Add(account.Id);
        });
        return [.. ids];
    }

    private static async Task<List<string>> WatchForAccountsInProgressTwiceAsync(TestDatabase db, CancellationToken stop)
    {
        var seen = new List<string>();
        while (!stop.IsCancellationRequested)
        {
            var twice = await db.ScalarAsync("""
                SELECT string_agg(account_id, ',') FROM (
                  SELECT account_id FROM likeness_need_indexing_queue WHERE status = 'IN_PROGRESS'
                  GROUP BY account_id HAVING count(*) > 1) doubled
                """);
            if (twice is string accounts)
            {
                seen.Add(accounts);
            }
            await Task.Delay(10, CancellationToken.None);
        }
        return seen;
    }

    private static async Task<long> UnfinishedAsync(PipelineHarness harness) =>
        (long)(await harness.Db.ScalarAsync("SELECT count(*) FROM likeness_need_indexing_queue WHERE status NOT IN ('COMPLETED', 'FAILED', 'DISCARDED')"))!;

    private static int Completed(string log) => int.Parse(CompletedCount().Match(log).Groups[1].Value, CultureInfo.InvariantCulture);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail("The condition was not met within 30 s.");
    }

    [GeneratedRegex(@"completed (\d+)")]
    private static partial Regex CompletedCount();
}
