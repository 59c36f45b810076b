using System.Collections.Concurrent;
using Likeness.Shared.Data;
using Likeness.Shared.Indexing;
using Likeness.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Likeness.Shared.Tests.Indexing;

[TestClass]
public sealed class IndexingQueueProcessorTests
{
    [TestMethod]
    public async Task ShutdownDuringARunGivesItsEventsBackAsPendingWithoutSpendingAnAttempt()
    {
        await using var db = await TestDatabase.CreateAsync();
        var queue = new LikenessNeedIndexingQueueAccess(db.DataSource);
        var first = await TestData.AddEventAsync(db, queue);
        var second = await TestData.AddEventAsync(db, queue);
        await db.ScalarAsync("UPDATE likeness_need_indexing_queue SET retry_count = 2 WHERE id = $1", second.Id);
        var indexer = new StubIndexer(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return new IndexOutcome(true, "never");
        });
        using var shutdown = new CancellationTokenSource();

        var run = Processor(queue, indexer, new IndexingOptions { MaxParallelism = 2 }).ProcessAsync(shutdown.Token);
        await indexer.WaitForCallsAsync(2);
        await shutdown.CancelAsync();
        var summary = await run;

        Assert.AreEqual((2, 0, 0), (summary.Released, summary.Retried, summary.Failed));
        var released = new[] { await queue.GetEventByIdAsync(first.Id), await queue.GetEventByIdAsync(second.Id) };
        Assert.AreEqual((QueueStatus.Pending, 0), (released[0]!.Status, released[0]!.RetryCount));
        Assert.AreEqual((QueueStatus.Pending, 2), (released[1]!.Status, released[1]!.RetryCount));
        Assert.IsNull(released[1]!.RetryAt, "no backoff");
    }

    [TestMethod]
    public async Task ShutdownGivesBackEveryClaimedEventWhetherItsRunStartedOrNot()
    {
        await using var db = await TestDatabase.CreateAsync();
        var queue = new LikenessNeedIndexingQueueAccess(db.DataSource);
        var events = new List<QueueEvent>();
        for (var i = 0; i < 6; i++)
        {
            events.Add(await TestData.AddEventAsync(db, queue));
        }
        using var shutdown = new CancellationTokenSource();
        var indexer = new StubIndexer(async (_, ct) =>
        {
            await shutdown.CancelAsync();
            await Task.Delay(Timeout.Infinite, ct);
            return new IndexOutcome(true, "never");
        });

        var summary = await Processor(queue, indexer, new IndexingOptions { MaxParallelism = 3 }).ProcessAsync(shutdown.Token);

        Assert.AreEqual((0, 0, 0), (summary.Completed, summary.Retried, summary.Failed));
        Assert.AreEqual(3, summary.Released, "one claim of one event per worker");
        foreach (var added in events)
        {
            var after = await queue.GetEventByIdAsync(added.Id);
            Assert.AreEqual((QueueStatus.Pending, 0), (after!.Status, after.RetryCount), added.Id);
        }
    }

    [TestMethod]
    public async Task ARunOfManyEventsOnFewWorkersIndexesEachClaimedEventOnceAndNeverTwoOfOneAccountAtATime()
    {
        await using var db = await TestDatabase.CreateAsync();
        var queue = new LikenessNeedIndexingQueueAccess(db.DataSource);
        var accountIds = await TestData.SeedAccountsAsync(db, 40);
        var eventIds = await TestData.SeedPendingEventsAsync(db, [.. accountIds, .. accountIds.Take(20)]);
        var calls = new ConcurrentDictionary<string, int>();
        var running = new ConcurrentDictionary<string, int>();
        var problems = new ConcurrentBag<string>();
        var indexer = new StubIndexer(async (e, ct) =>
        {
            calls.AddOrUpdate(e.Id, 1, (_, n) => n + 1);
            if (running.AddOrUpdate(e.AccountId, 1, (_, n) => n + 1) > 1)
            {
                problems.Add($"account {e.AccountId} indexed twice at once");
            }
            await Task.Delay(2, ct);
            running.AddOrUpdate(e.AccountId, 0, (_, n) => n - 1);
            return new IndexOutcome(await queue.MarkEventCompletedAsync(e.Id, "ok", ct), "ok");
        });

        var summary = await Processor(queue, indexer, new IndexingOptions { MaxParallelism = 4, BatchSize = 200 }).ProcessAsync(CancellationToken.None);

        Assert.IsEmpty(problems, string.Join("; ", problems));
        Assert.IsTrue(calls.Values.All(n => n == 1), "no event was indexed twice");
        Assert.AreEqual(accountIds.Length, summary.Completed, "one run per account");
        Assert.AreEqual(eventIds.Length - accountIds.Length, summary.Discarded);
        Assert.AreEqual((long)accountIds.Length, await db.ScalarAsync("SELECT count(*) FROM likeness_need_indexing_queue WHERE status = 'COMPLETED'"));
        Assert.AreEqual(0L, await db.ScalarAsync("SELECT count(*) FROM likeness_need_indexing_queue WHERE status IN ('PENDING', 'IN_PROGRESS')"));
    }

    [TestMethod]
    public async Task ARunStopsClaimingAtItsBatchSize()
    {
        await using var db = await TestDatabase.CreateAsync();
        var queue = new LikenessNeedIndexingQueueAccess(db.DataSource);
        var accountIds = await TestData.SeedAccountsAsync(db, 10);
        await TestData.SeedPendingEventsAsync(db, accountIds);
        var indexer = new StubIndexer(async (e, ct) => new IndexOutcome(await queue.MarkEventCompletedAsync(e.Id, "ok", ct), "ok"));

        var summary = await Processor(queue, indexer, new IndexingOptions { MaxParallelism = 4, BatchSize = 7 }).ProcessAsync(CancellationToken.None);

        Assert.AreEqual(7, summary.Completed);
        Assert.AreEqual(3L, await db.ScalarAsync("SELECT count(*) FROM likeness_need_indexing_queue WHERE status = 'PENDING'"));
    }

    [TestMethod]
    public async Task HeartbeatKeepsASlowRunFromBeingSweptAndItCompletes()
    {
        await using var db = await TestDatabase.CreateAsync();
        var queue = new LikenessNeedIndexingQueueAccess(db.DataSource);
        var added = await TestData.AddEventAsync(db, queue);
        var timeout = TimeSpan.FromMilliseconds(800);
        var swept = 0;
        var indexer = new StubIndexer(async (e, ct) =>
        {
            // A slow model call, several timeouts long, with the sweep running meanwhile.
            for (var i = 0; i < 8; i++)
            {
                await Task.Delay(timeout / 2, ct);
                swept += (await queue.MarkTimedOutEventsAsync(timeout, ct)).Count;
            }
            return new IndexOutcome(await queue.MarkEventCompletedAsync(e.Id, "slow", ct), "slow");
        });

        var summary = await Processor(queue, indexer, new IndexingOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(100), InProgressTimeout = timeout })
            .ProcessAsync(CancellationToken.None);

        Assert.AreEqual(0, swept);
        Assert.AreEqual(1, summary.Completed);
        Assert.AreEqual(QueueStatus.Completed, (await queue.GetEventByIdAsync(added.Id))!.Status);
    }

    [TestMethod]
    [DataRow(LikenessNeedIndexingQueueAccess.MaxRetryCount - 1, QueueStatus.AwaitingRetry, LikenessNeedIndexingQueueAccess.MaxRetryCount)]
    [DataRow(LikenessNeedIndexingQueueAccess.MaxRetryCount, QueueStatus.Failed, LikenessNeedIndexingQueueAccess.MaxRetryCount)]
    public async Task FailureAfterFourRetriesIsRetriedOnceMoreAndTheSixthAttemptIsFinal(int retriesBefore, QueueStatus expected, int retriesAfter)
    {
        await using var db = await TestDatabase.CreateAsync();
        var queue = new LikenessNeedIndexingQueueAccess(db.DataSource);
        var added = await TestData.AddEventAsync(db, queue);
        await db.ScalarAsync("UPDATE likeness_need_indexing_queue SET retry_count = $2 WHERE id = $1", added.Id, retriesBefore);
        var indexer = new StubIndexer((_, _) => throw new InvalidOperationException("boom"));

        await Processor(queue, indexer, new IndexingOptions()).ProcessAsync(CancellationToken.None);

        var after = await queue.GetEventByIdAsync(added.Id);
        Assert.AreEqual((expected, retriesAfter), (after!.Status, after.RetryCount));
        StringAssert.Contains(after.Info!.Value.GetProperty("error").GetString(), "boom");
    }

    private static IndexingQueueProcessor Processor(LikenessNeedIndexingQueueAccess queue, IAccountIndexer indexer, IndexingOptions options) =>
        new(queue, indexer, Options.Create(options), TimeProvider.System, NullLogger<IndexingQueueProcessor>.Instance);

    private sealed class StubIndexer(Func<QueueEvent, CancellationToken, Task<IndexOutcome>> index) : IAccountIndexer
    {
        private int calls;

        public async Task<IndexOutcome> IndexAccountAsync(QueueEvent queueEvent, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref calls);
            return await index(queueEvent, cancellationToken);
        }

        public async Task WaitForCallsAsync(int count)
        {
            for (var i = 0; i < 300 && Volatile.Read(ref calls) < count; i++)
            {
                await Task.Delay(100);
            }
            Assert.AreEqual(count, Volatile.Read(ref calls), "the indexer was not reached in time");
        }
    }
}
