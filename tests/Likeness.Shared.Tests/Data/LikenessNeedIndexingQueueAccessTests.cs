using System.Collections.Concurrent;
using System.Text.Json;
using Likeness.Shared.Data;
using Likeness.Testing;
using Npgsql;

namespace Likeness.Shared.Tests.Data;

[TestClass]
public sealed class LikenessNeedIndexingQueueAccessTests
{
    private static readonly TimeSpan StuckFor = TimeSpan.FromHours(2);
    private static readonly TimeSpan TimeoutAfter = TimeSpan.FromHours(1);

    private static TestDatabase db = null!;
    private static LikenessNeedIndexingQueueAccess queue = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext _)
    {
        db = await TestDatabase.CreateAsync();
        queue = new LikenessNeedIndexingQueueAccess(db.DataSource);
    }

    [ClassCleanup]
    public static async Task CleanupAsync() => await db.DisposeAsync();

    // Adding and reading ----------------------------------------------------------------

    [TestMethod]
    public async Task AddedEventIsPendingWithItsInfoAndIsReadBackById()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var info = JsonElement.Parse("""{"source":"upload","sizes":[1,2]}""");

        var added = await queue.AddToQueueAsync(account.Id, QueueElementType.VoiceAsset, "asset-1", info);
        var read = await queue.GetEventByIdAsync(added.Id);

        Assert.IsNotNull(read);
        Assert.AreEqual(NanoId.Length, added.Id.Length);
        Assert.AreEqual(account.Id, read.AccountId);
        Assert.AreEqual(QueueElementType.VoiceAsset, read.ElementType);
        Assert.AreEqual("asset-1", read.ElementId);
        Assert.AreEqual(QueueStatus.Pending, read.Status);
        Assert.IsTrue(JsonElement.DeepEquals(info, read.Info!.Value));
        Assert.IsTrue(JsonElement.DeepEquals(info, added.Info!.Value));
        Assert.AreEqual(0, read.RetryCount);
        Assert.IsNull(read.RetryAt);
        Assert.AreEqual(read.CreatedAt, read.UpdatedAt);
        Assert.AreEqual((added.CreatedAt, added.UpdatedAt), (read.CreatedAt, read.UpdatedAt));
    }

    [TestMethod]
    public async Task EventWithoutElementIdOrInfoStoresNulls()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);

        var added = await queue.AddToQueueAsync(account.Id, QueueElementType.ProfileDescription, null, null);

        Assert.AreEqual(added, await queue.GetEventByIdAsync(added.Id));
        Assert.IsNull(added.ElementId);
        Assert.IsNull(added.Info);
        Assert.IsTrue((bool)(await db.ScalarAsync("SELECT info IS NULL FROM likeness_need_indexing_queue WHERE id = $1", added.Id))!);
    }

    [TestMethod]
    public async Task EveryElementTypeIsStoredUnderItsDatabaseLabel()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);

        foreach (var type in Enum.GetValues<QueueElementType>())
        {
            var added = await queue.AddToQueueAsync(account.Id, type, null, null);

            Assert.AreEqual(DbEnum<QueueElementType>.ToLabel(type), await db.ScalarAsync("SELECT element_type::text FROM likeness_need_indexing_queue WHERE id = $1", added.Id));
            Assert.AreEqual(type, (await queue.GetEventByIdAsync(added.Id))!.ElementType);
        }
    }

    [TestMethod]
    public async Task AddingAnEventForAMissingAccountIsRejectedByTheForeignKey()
    {
        var error = await Assert.ThrowsExactlyAsync<PostgresException>(
            () => queue.AddToQueueAsync("no-such-account", QueueElementType.ImageAsset, null, null));

        Assert.AreEqual(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
    }

    [TestMethod]
    public async Task MissingEventReadsAsNullAndNoTransitionAppliesToIt()
    {
        const string missing = "no-such-event";

        Assert.IsNull(await queue.GetEventByIdAsync(missing));
        Assert.IsNull(await queue.GetEventRetryCountAsync(missing));
        Assert.IsFalse(await queue.MarkEventInProgressAsync(missing));
        Assert.IsFalse(await queue.MarkEventCompletedAsync(missing));
        Assert.IsFalse(await queue.MarkEventFailedAsync(missing, "boom"));
        Assert.IsFalse(await queue.MarkEventDiscardedAsync(missing, "stale"));
        Assert.IsFalse(await queue.MarkEventAwaitingRetryAsync(missing, DateTimeOffset.UtcNow));
        Assert.IsFalse(await queue.MarkEventPendingAsync(missing));
        Assert.IsFalse(await queue.RefreshEventHeartbeatAsync(missing));
        Assert.IsFalse(await queue.HasActiveEventForAccountAsync("no-such-account"));
        Assert.AreEqual(0, await queue.MarkOtherPendingEventsAsDiscardedAsync("no-such-account", missing));
    }

    // Oldest pending and claiming (order is global: each test owns its database) ----------

    [TestMethod]
    public async Task OldestPendingEventIsTheFirstAddedThatIsStillPending()
    {
        await using var own = await TestDatabase.CreateAsync();
        var ownQueue = new LikenessNeedIndexingQueueAccess(own.DataSource);
        Assert.IsNull(await ownQueue.GetOldestPendingEventAsync());
        var a = await TestData.CreateAccountAsync(own.DataSource);
        var b = await TestData.CreateAccountAsync(own.DataSource);
        var first = await ownQueue.AddToQueueAsync(a.Id, QueueElementType.ImageAsset, null, null);
        var second = await ownQueue.AddToQueueAsync(b.Id, QueueElementType.ImageAsset, null, null);
        var third = await ownQueue.AddToQueueAsync(a.Id, QueueElementType.ImageAsset, null, null);

        Assert.AreEqual(first.Id, (await ownQueue.GetOldestPendingEventAsync())?.Id);
        Assert.IsTrue(await ownQueue.MarkEventInProgressAsync(first.Id));
        Assert.AreEqual(second.Id, (await ownQueue.GetOldestPendingEventAsync())?.Id);
        Assert.IsTrue(await ownQueue.MarkEventDiscardedAsync(second.Id, "not needed"));
        Assert.AreEqual(third, await ownQueue.GetOldestPendingEventAsync());
    }

    [TestMethod]
    public async Task ClaimsTakeEventsOldestFirstAndSkipAccountsAlreadyInProgress()
    {
        await using var own = await TestDatabase.CreateAsync();
        var ownQueue = new LikenessNeedIndexingQueueAccess(own.DataSource);
        Assert.IsNull(await ownQueue.ClaimNextPendingEventAsync());
        var a = await TestData.CreateAccountAsync(own.DataSource);
        var b = await TestData.CreateAccountAsync(own.DataSource);
        var c = await TestData.CreateAccountAsync(own.DataSource);
        var a1 = await ownQueue.AddToQueueAsync(a.Id, QueueElementType.ImageAsset, null, null);
        var b1 = await ownQueue.AddToQueueAsync(b.Id, QueueElementType.ImageAsset, null, null);
        var a2 = await ownQueue.AddToQueueAsync(a.Id, QueueElementType.ImageAsset, null, null);
        var c1 = await ownQueue.AddToQueueAsync(c.Id, QueueElementType.ImageAsset, null, null);

        var claimed = new[]
        {
            await ownQueue.ClaimNextPendingEventAsync(),
            await ownQueue.ClaimNextPendingEventAsync(),
            await ownQueue.ClaimNextPendingEventAsync(),
        };

        CollectionAssert.AreEqual(new[] { a1.Id, b1.Id, c1.Id }, claimed.Select(e => e?.Id).ToArray());
        foreach (var claimedEvent in claimed)
        {
            Assert.AreEqual(QueueStatus.InProgress, claimedEvent!.Status);
            Assert.IsGreaterThan(claimedEvent.CreatedAt, claimedEvent.UpdatedAt);
            Assert.AreEqual(claimedEvent, await ownQueue.GetEventByIdAsync(claimedEvent.Id));
        }
        Assert.IsNull(await ownQueue.ClaimNextPendingEventAsync(), "a2 waits while a1 is in progress");
        Assert.AreEqual(QueueStatus.Pending, (await ownQueue.GetEventByIdAsync(a2.Id))!.Status);

        Assert.IsTrue(await ownQueue.MarkEventCompletedAsync(a1.Id));
        Assert.AreEqual(a2.Id, (await ownQueue.ClaimNextPendingEventAsync())?.Id);
    }

    [TestMethod]
    public async Task ClaimThatLosesTheRaceForAnAccountClaimsTheNextAccountInstead()
    {
        await using var own = await TestDatabase.CreateAsync();
        var ownQueue = new LikenessNeedIndexingQueueAccess(own.DataSource);
        var x = await TestData.CreateAccountAsync(own.DataSource);
        var y = await TestData.CreateAccountAsync(own.DataSource);
        var x1 = await ownQueue.AddToQueueAsync(x.Id, QueueElementType.ImageAsset, null, null);
        var x2 = await ownQueue.AddToQueueAsync(x.Id, QueueElementType.ImageAsset, null, null);
        var y1 = await ownQueue.AddToQueueAsync(y.Id, QueueElementType.ImageAsset, null, null);

        // x1 looks claimable until the other transaction commits x2, then the unique index refuses it.
        var claimed = await WhileAnotherWorkerClaimsAsync(own, x2.Id, () => ownQueue.ClaimNextPendingEventAsync());

        Assert.AreEqual(y1.Id, claimed?.Id);
        Assert.AreEqual(x1, await ownQueue.GetEventByIdAsync(x1.Id));
        Assert.AreEqual(QueueStatus.InProgress, (await ownQueue.GetEventByIdAsync(x2.Id))!.Status);
    }

    [TestMethod]
    public async Task MarkingInProgressThatLosesTheRaceForAnAccountReturnsFalse()
    {
        await using var own = await TestDatabase.CreateAsync();
        var ownQueue = new LikenessNeedIndexingQueueAccess(own.DataSource);
        var x = await TestData.CreateAccountAsync(own.DataSource);
        var x1 = await ownQueue.AddToQueueAsync(x.Id, QueueElementType.ImageAsset, null, null);
        var x2 = await ownQueue.AddToQueueAsync(x.Id, QueueElementType.ImageAsset, null, null);

        Assert.IsFalse(await WhileAnotherWorkerClaimsAsync(own, x2.Id, () => ownQueue.MarkEventInProgressAsync(x1.Id)));

        Assert.AreEqual(x1, await ownQueue.GetEventByIdAsync(x1.Id));
    }

    [TestMethod]
    public async Task EightClaimersTakeAThousandEventsOfDistinctAccountsExactlyOnce()
    {
        await using var own = await TestDatabase.CreateAsync();
        var ownQueue = new LikenessNeedIndexingQueueAccess(own.DataSource);
        var accountIds = await TestData.SeedAccountsAsync(own, 1000);
        var eventIds = await TestData.SeedPendingEventsAsync(own, accountIds);

        var claimers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var claimed = new List<string>();
            while (await ownQueue.ClaimNextPendingEventAsync() is { } claimedEvent)
            {
                claimed.Add(claimedEvent.Id);
            }
            return claimed;
        }));
        var claimedIds = (await Task.WhenAll(claimers)).SelectMany(ids => ids).ToList();

        Assert.HasCount(eventIds.Length, claimedIds);
        Assert.HasCount(eventIds.Length, claimedIds.Distinct());
        Assert.IsTrue(claimedIds.ToHashSet().SetEquals(eventIds));
        Assert.AreEqual(1000L, await own.ScalarAsync("SELECT count(*) FROM likeness_need_indexing_queue WHERE status = 'IN_PROGRESS'"));
    }

    [TestMethod]
    public async Task EightClaimersCompletingAsTheyGoTakeEveryEventOnceInOrderAndNeverTwoOfOneAccountAtATime()
    {
        await using var own = await TestDatabase.CreateAsync();
        var ownQueue = new LikenessNeedIndexingQueueAccess(own.DataSource);
        var accountIds = await TestData.SeedAccountsAsync(own, 125);
        // Account by account, so the oldest claimable events keep belonging to the same account
        // and claimers keep racing each other for it.
        var eventAccountIds = accountIds.SelectMany(id => Enumerable.Repeat(id, 8)).ToArray();
        var eventIds = await TestData.SeedPendingEventsAsync(own, eventAccountIds);
        var inProgressPerAccount = new ConcurrentDictionary<string, int>();
        var problems = new ConcurrentBag<string>();
        // An account's next claim commits only after its previous event was completed, which is after
        // the previous claim took its number, so per account the numbers follow the claim order.
        var claimNumber = 0L;
        var claimLog = new ConcurrentBag<(long Number, string AccountId, string EventId)>();

        var claimers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var claimed = new List<string>();
            while (await ownQueue.ClaimNextPendingEventAsync() is { } claimedEvent)
            {
                claimed.Add(claimedEvent.Id);
                claimLog.Add((Interlocked.Increment(ref claimNumber), claimedEvent.AccountId, claimedEvent.Id));
                if (inProgressPerAccount.AddOrUpdate(claimedEvent.AccountId, 1, (_, n) => n + 1) > 1)
                {
                    problems.Add($"account {claimedEvent.AccountId} had two events in progress");
                }
                await Task.Delay(1);
                // Released before completing: once completed, another claimer may take the account.
                inProgressPerAccount.AddOrUpdate(claimedEvent.AccountId, 0, (_, n) => n - 1);
                if (!await ownQueue.MarkEventCompletedAsync(claimedEvent.Id))
                {
                    problems.Add($"event {claimedEvent.Id} could not be completed");
                }
            }
            return claimed;
        }));
        var claimedIds = (await Task.WhenAll(claimers)).SelectMany(ids => ids).ToList();

        Assert.IsEmpty(problems, string.Join("; ", problems));
        Assert.HasCount(eventIds.Length, claimedIds);
        Assert.HasCount(eventIds.Length, claimedIds.Distinct());
        Assert.IsTrue(claimedIds.ToHashSet().SetEquals(eventIds));
        Assert.AreEqual(1000L, await own.ScalarAsync("SELECT count(*) FROM likeness_need_indexing_queue WHERE status = 'COMPLETED'"));
        var claimOrder = claimLog.OrderBy(c => c.Number).ToLookup(c => c.AccountId, c => c.EventId);
        var addOrder = eventIds.Zip(eventAccountIds).ToLookup(e => e.Second, e => e.First);
        foreach (var accountId in accountIds)
        {
            CollectionAssert.AreEqual(addOrder[accountId].ToArray(), claimOrder[accountId].ToArray(), $"claim order of account {accountId}");
        }
    }

    [TestMethod]
    public async Task ClaimingABatchTakesTheOldestEventOfEachFreeAccountAndDiscardsTheirOtherPendingEvents()
    {
        await using var own = await TestDatabase.CreateAsync();
        var ownQueue = new LikenessNeedIndexingQueueAccess(own.DataSource);
        Assert.IsEmpty((await ownQueue.ClaimPendingEventsAsync(5)).Events);
        var a = await TestData.CreateAccountAsync(own.DataSource);
        var b = await TestData.CreateAccountAsync(own.DataSource);
        var c = await TestData.CreateAccountAsync(own.DataSource);
        var busy = await TestData.CreateAccountAsync(own.DataSource);
        var a1 = await ownQueue.AddToQueueAsync(a.Id, QueueElementType.ImageAsset, null, null);
        var b1 = await ownQueue.AddToQueueAsync(b.Id, QueueElementType.ImageAsset, null, null);
        var a2 = await ownQueue.AddToQueueAsync(a.Id, QueueElementType.SocialData, null, null);
        var c1 = await ownQueue.AddToQueueAsync(c.Id, QueueElementType.ImageAsset, null, null);
        var a3 = await ownQueue.AddToQueueAsync(a.Id, QueueElementType.VoiceAsset, null, null);
        var running = await TestData.InProgressEventAsync(own, ownQueue, busy.Id);
        var waitingForBusy = await ownQueue.AddToQueueAsync(busy.Id, QueueElementType.ImageAsset, null, null);

        var first = await ownQueue.ClaimPendingEventsAsync(2);
        var rest = await ownQueue.ClaimPendingEventsAsync(10);

        CollectionAssert.AreEqual(new[] { a1.Id, b1.Id }, first.Events.Select(e => e.Id).ToArray());
        Assert.AreEqual(2, first.Discarded);
        CollectionAssert.AreEqual(new[] { c1.Id }, rest.Events.Select(e => e.Id).ToArray());
        Assert.AreEqual(0, rest.Discarded);
        foreach (var claimed in first.Events.Concat(rest.Events))
        {
            Assert.AreEqual(QueueStatus.InProgress, claimed.Status);
            Assert.AreEqual(claimed, await ownQueue.GetEventByIdAsync(claimed.Id));
        }
        foreach (var superseded in new[] { a2, a3 })
        {
            var discarded = await ownQueue.GetEventByIdAsync(superseded.Id);
            Assert.AreEqual(QueueStatus.Discarded, discarded!.Status);
            Assert.AreEqual("superseded", discarded.Info!.Value.GetProperty("reason").GetString());
            Assert.AreEqual(a1.Id, discarded.Info!.Value.GetProperty("supersededBy").GetString());
        }
        Assert.AreEqual(QueueStatus.Pending, (await ownQueue.GetEventByIdAsync(waitingForBusy.Id))!.Status, "its account is in progress");
        Assert.AreEqual(QueueStatus.InProgress, (await ownQueue.GetEventByIdAsync(running.Id))!.Status);
    }

    [TestMethod]
    public async Task ClaimingABatchLeavesLaterCommitsOnTheSameConnectionDurable()
    {
        await using var own = await TestDatabase.CreateAsync();
        var oneConnection = new NpgsqlConnectionStringBuilder(own.ConnectionString) { MaxPoolSize = 1 };
        await using var dataSource = LikenessDataSource.Create(oneConnection.ConnectionString);
        var ownQueue = new LikenessNeedIndexingQueueAccess(dataSource);
        await TestData.AddEventAsync(own, ownQueue);

        Assert.HasCount(1, (await ownQueue.ClaimPendingEventsAsync(1)).Events);

        await using var command = dataSource.CreateCommand("SELECT current_setting('synchronous_commit')");
        Assert.AreEqual("on", await command.ExecuteScalarAsync(), "the claim's own setting must not outlive its transaction");
    }

    [TestMethod]
    public async Task ClaimOfABatchThatLosesTheRaceForAnAccountClaimsTheOtherAccounts()
    {
        await using var own = await TestDatabase.CreateAsync();
        var ownQueue = new LikenessNeedIndexingQueueAccess(own.DataSource);
        var x = await TestData.CreateAccountAsync(own.DataSource);
        var y = await TestData.CreateAccountAsync(own.DataSource);
        var x1 = await ownQueue.AddToQueueAsync(x.Id, QueueElementType.ImageAsset, null, null);
        var x2 = await ownQueue.AddToQueueAsync(x.Id, QueueElementType.ImageAsset, null, null);
        var y1 = await ownQueue.AddToQueueAsync(y.Id, QueueElementType.ImageAsset, null, null);

        var claimed = await WhileAnotherWorkerClaimsAsync(own, x2.Id, () => ownQueue.ClaimPendingEventsAsync(5));

        CollectionAssert.AreEqual(new[] { y1.Id }, claimed.Events.Select(e => e.Id).ToArray());
        Assert.AreEqual(x1, await ownQueue.GetEventByIdAsync(x1.Id));
    }

    [TestMethod]
    public async Task EightClaimersTakingBatchesAndCompletingAsTheyGoFinishEveryEventExactlyOnce()
    {
        await using var own = await TestDatabase.CreateAsync();
        var ownQueue = new LikenessNeedIndexingQueueAccess(own.DataSource);
        var accountIds = await TestData.SeedAccountsAsync(own, 200);
        // Several events per account, interleaved, so claims keep racing for accounts and discarding.
        var eventAccountIds = Enumerable.Range(0, 3).SelectMany(_ => accountIds).ToArray();
        var eventIds = await TestData.SeedPendingEventsAsync(own, eventAccountIds);
        var inProgressPerAccount = new ConcurrentDictionary<string, int>();
        var problems = new ConcurrentBag<string>();
        var discarded = 0;

        var claimers = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            var completed = new List<string>();
            while ((await ownQueue.ClaimPendingEventsAsync(1 + (i % 4))) is { Events.Count: > 0 } batch)
            {
                Interlocked.Add(ref discarded, batch.Discarded);
                foreach (var claimedEvent in batch.Events)
                {
                    if (inProgressPerAccount.AddOrUpdate(claimedEvent.AccountId, 1, (_, n) => n + 1) > 1)
                    {
                        problems.Add($"account {claimedEvent.AccountId} had two events in progress");
                    }
                }
                await Task.Delay(1);
                foreach (var claimedEvent in batch.Events)
                {
                    inProgressPerAccount.AddOrUpdate(claimedEvent.AccountId, 0, (_, n) => n - 1);
                    if (!await ownQueue.MarkEventCompletedAsync(claimedEvent.Id))
                    {
                        problems.Add($"event {claimedEvent.Id} could not be completed");
                    }
                    completed.Add(claimedEvent.Id);
                }
            }
            return completed;
        }));
        var completedIds = (await Task.WhenAll(claimers)).SelectMany(ids => ids).ToList();

        Assert.IsEmpty(problems, string.Join("; ", problems));
        Assert.HasCount(completedIds.Count, completedIds.Distinct(), "no event was claimed twice");
        Assert.AreEqual((long)completedIds.Count, await own.ScalarAsync("SELECT count(*) FROM likeness_need_indexing_queue WHERE status = 'COMPLETED'"));
        Assert.AreEqual((long)discarded, await own.ScalarAsync("SELECT count(*) FROM likeness_need_indexing_queue WHERE status = 'DISCARDED'"));
        Assert.AreEqual(eventIds.Length, completedIds.Count + discarded, "every event was completed or discarded");
        Assert.IsGreaterThanOrEqualTo(accountIds.Length, completedIds.Count, "every account was indexed");
    }

    [TestMethod]
    public async Task HeartbeatsOfSeveralEventsRefreshOnlyThoseStillInProgress()
    {
        var running = await InProgressEventAsync();
        var finished = await InProgressEventAsync();
        Assert.IsTrue(await queue.MarkEventCompletedAsync(finished.Id));
        var pending = await AddEventAsync();
        await MakeOldAsync(db, running.Id, StuckFor);

        var alive = await queue.RefreshEventHeartbeatsAsync([running.Id, finished.Id, pending.Id, running.Id, "no-such-event"]);

        Assert.IsTrue(alive.SetEquals([running.Id]));
        Assert.AreEqual(true, await db.ScalarAsync("SELECT updated_at > now() - interval '1 minute' FROM likeness_need_indexing_queue WHERE id = $1", running.Id));
        Assert.IsEmpty(await queue.RefreshEventHeartbeatsAsync([]));
    }

    [TestMethod]
    public async Task GivingBackSeveralEventsMovesOnlyThoseInProgressToPendingWithoutSpendingAnAttempt()
    {
        var first = await InProgressEventAsync();
        var second = await InProgressEventAsync();
        var finished = await InProgressEventAsync();
        Assert.IsTrue(await queue.MarkEventCompletedAsync(finished.Id));

        Assert.AreEqual(2, await queue.MarkEventsPendingAsync([first.Id, second.Id, finished.Id]));

        foreach (var given in new[] { first, second })
        {
            var read = await queue.GetEventByIdAsync(given.Id);
            Assert.AreEqual((QueueStatus.Pending, 0), (read!.Status, read.RetryCount));
        }
        Assert.AreEqual(QueueStatus.Completed, (await queue.GetEventByIdAsync(finished.Id))!.Status);
        Assert.AreEqual(0, await queue.MarkEventsPendingAsync([first.Id]));
        Assert.AreEqual(0, await queue.MarkEventsPendingAsync([]));
    }

    [TestMethod]
    public async Task BatchArgumentsOutOfRangeAreRejectedNamingTheArgument()
    {
        Assert.AreEqual("count", (await Assert.ThrowsAsync<ArgumentException>(() => queue.ClaimPendingEventsAsync(0))).ParamName);
        Assert.AreEqual("count", (await Assert.ThrowsAsync<ArgumentException>(() => queue.ClaimPendingEventsAsync(LikenessNeedIndexingQueueAccess.MaxClaimBatch + 1))).ParamName);
        Assert.AreEqual("eventIds", (await Assert.ThrowsAsync<ArgumentException>(() => queue.RefreshEventHeartbeatsAsync(null!))).ParamName);
        Assert.AreEqual("eventIds", (await Assert.ThrowsAsync<ArgumentException>(() => queue.MarkEventsPendingAsync([" "]))).ParamName);
    }

    // Guarded transitions --------------------------------------------------------------

    [TestMethod]
    public async Task MarkingAnEventInProgressTwiceChangesItOnlyOnce()
    {
        var pending = await AddEventAsync();

        Assert.IsTrue(await queue.MarkEventInProgressAsync(pending.Id));
        var inProgress = await queue.GetEventByIdAsync(pending.Id);
        Assert.IsFalse(await queue.MarkEventInProgressAsync(pending.Id));

        Assert.AreEqual(QueueStatus.InProgress, inProgress!.Status);
        Assert.IsGreaterThan(pending.UpdatedAt, inProgress.UpdatedAt);
        Assert.AreEqual(inProgress, await queue.GetEventByIdAsync(pending.Id));
    }

    [TestMethod]
    public async Task FinishedEventIsNotMarkedInProgressAgain()
    {
        var completed = await InProgressEventAsync();
        Assert.IsTrue(await queue.MarkEventCompletedAsync(completed.Id));
        var before = await queue.GetEventByIdAsync(completed.Id);

        Assert.IsFalse(await queue.MarkEventInProgressAsync(completed.Id));

        Assert.AreEqual(before, await queue.GetEventByIdAsync(completed.Id));
    }

    [TestMethod]
    public async Task SecondEventOfAnAccountIsNotMarkedInProgressWhileTheFirstIs()
    {
        var first = await InProgressEventAsync();
        var second = await queue.AddToQueueAsync(first.AccountId, QueueElementType.ImageTerm, null, null);

        Assert.IsFalse(await queue.MarkEventInProgressAsync(second.Id));

        Assert.AreEqual(second, await queue.GetEventByIdAsync(second.Id));
        Assert.IsTrue(await queue.MarkEventCompletedAsync(first.Id));
        Assert.IsTrue(await queue.MarkEventInProgressAsync(second.Id));
    }

    [TestMethod]
    public async Task CompletingAnEventInProgressFinishesItOnce()
    {
        var inProgress = await InProgressEventAsync();

        Assert.IsTrue(await queue.MarkEventCompletedAsync(inProgress.Id));
        var completed = await queue.GetEventByIdAsync(inProgress.Id);
        Assert.IsFalse(await queue.MarkEventCompletedAsync(inProgress.Id));

        Assert.AreEqual(QueueStatus.Completed, completed!.Status);
        Assert.IsGreaterThan(inProgress.UpdatedAt, completed.UpdatedAt);
        Assert.AreEqual(completed, await queue.GetEventByIdAsync(inProgress.Id));
    }

    [TestMethod]
    public async Task PendingEventIsNotCompletedFailedOrScheduledForRetry()
    {
        var pending = await AddEventAsync();

        Assert.IsFalse(await queue.MarkEventCompletedAsync(pending.Id));
        Assert.IsFalse(await queue.MarkEventFailedAsync(pending.Id, "boom"));
        Assert.IsFalse(await queue.MarkEventAwaitingRetryAsync(pending.Id, DateTimeOffset.UtcNow));

        Assert.AreEqual(pending, await queue.GetEventByIdAsync(pending.Id));
    }

    [TestMethod]
    public async Task FailingAnEventMergesTheErrorIntoItsInfo()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var withInfo = await queue.AddToQueueAsync(account.Id, QueueElementType.ImageAsset, "asset-9", JsonElement.Parse("""{"source":"upload"}"""));
        Assert.IsTrue(await queue.MarkEventInProgressAsync(withInfo.Id));

        Assert.IsTrue(await queue.MarkEventFailedAsync(withInfo.Id, "model refused the image"));
        var failed = await queue.GetEventByIdAsync(withInfo.Id);

        Assert.AreEqual(QueueStatus.Failed, failed!.Status);
        Assert.IsTrue(JsonElement.DeepEquals(JsonElement.Parse("""{"source":"upload","error":"model refused the image"}"""), failed.Info!.Value));
        Assert.IsGreaterThan(withInfo.UpdatedAt, failed.UpdatedAt);
    }

    [TestMethod]
    public async Task FailingAnEventWithoutInfoCreatesIt()
    {
        var inProgress = await InProgressEventAsync();

        Assert.IsTrue(await queue.MarkEventFailedAsync(inProgress.Id, "boom"));

        Assert.IsTrue(JsonElement.DeepEquals(JsonElement.Parse("""{"error":"boom"}"""), (await queue.GetEventByIdAsync(inProgress.Id))!.Info!.Value));
    }

    [TestMethod]
    public async Task FailingAnEventTwiceKeepsTheFirstError()
    {
        var inProgress = await InProgressEventAsync();
        Assert.IsTrue(await queue.MarkEventFailedAsync(inProgress.Id, "first"));
        var failed = await queue.GetEventByIdAsync(inProgress.Id);

        Assert.IsFalse(await queue.MarkEventFailedAsync(inProgress.Id, "second"));

        var read = await queue.GetEventByIdAsync(inProgress.Id);
        Assert.AreEqual("first", read!.Info!.Value.GetProperty("error").GetString());
        Assert.AreEqual((failed!.Status, failed.UpdatedAt), (read.Status, read.UpdatedAt));
    }

    [TestMethod]
    public async Task DiscardingAPendingEventRecordsTheReasonOnce()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var pending = await queue.AddToQueueAsync(account.Id, QueueElementType.SocialData, null, JsonElement.Parse("""{"link":"x"}"""));

        Assert.IsTrue(await queue.MarkEventDiscardedAsync(pending.Id, "account deleted its link"));
        var discarded = await queue.GetEventByIdAsync(pending.Id);
        Assert.IsFalse(await queue.MarkEventDiscardedAsync(pending.Id, "again"));

        Assert.AreEqual(QueueStatus.Discarded, discarded!.Status);
        Assert.IsTrue(JsonElement.DeepEquals(JsonElement.Parse("""{"link":"x","reason":"account deleted its link"}"""), discarded.Info!.Value));
        var read = await queue.GetEventByIdAsync(pending.Id);
        Assert.IsTrue(JsonElement.DeepEquals(discarded.Info.Value, read!.Info!.Value));
        Assert.AreEqual(discarded.UpdatedAt, read.UpdatedAt);
    }

    [TestMethod]
    public async Task EventInProgressIsNotDiscarded()
    {
        var inProgress = await InProgressEventAsync();

        Assert.IsFalse(await queue.MarkEventDiscardedAsync(inProgress.Id, "too late"));

        Assert.AreEqual(inProgress, await queue.GetEventByIdAsync(inProgress.Id));
    }

    [TestMethod]
    public async Task SchedulingARetryCountsTheAttemptAndStoresTheRetryTime()
    {
        var inProgress = await InProgressEventAsync();
        var retryAt = new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.FromHours(2));

        Assert.IsTrue(await queue.MarkEventAwaitingRetryAsync(inProgress.Id, retryAt));
        var waiting = await queue.GetEventByIdAsync(inProgress.Id);

        Assert.AreEqual(QueueStatus.AwaitingRetry, waiting!.Status);
        Assert.IsNull(waiting.Info);
        Assert.AreEqual(1, waiting.RetryCount);
        Assert.AreEqual(1, await queue.GetEventRetryCountAsync(inProgress.Id));
        Assert.AreEqual(retryAt, waiting.RetryAt);
        Assert.IsGreaterThan(inProgress.UpdatedAt, waiting.UpdatedAt);

        Assert.IsFalse(await queue.MarkEventAwaitingRetryAsync(inProgress.Id, retryAt.AddHours(1)));
        Assert.IsFalse(await queue.MarkEventCompletedAsync(inProgress.Id));
        Assert.AreEqual(waiting, await queue.GetEventByIdAsync(inProgress.Id));
    }

    [TestMethod]
    public async Task SchedulingARetryWithAnErrorMergesItIntoTheInfo()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var added = await queue.AddToQueueAsync(account.Id, QueueElementType.ImageAsset, null, JsonElement.Parse("""{"source":"upload"}"""));
        Assert.IsTrue(await queue.MarkEventInProgressAsync(added.Id));

        Assert.IsTrue(await queue.MarkEventAwaitingRetryAsync(added.Id, DateTimeOffset.UtcNow.AddMinutes(5), "rate limited"));

        var waiting = await queue.GetEventByIdAsync(added.Id);
        Assert.IsTrue(JsonElement.DeepEquals(JsonElement.Parse("""{"source":"upload","error":"rate limited"}"""), waiting!.Info!.Value));
    }

    [TestMethod]
    public async Task RetryIsRefusedOnceTheEventHasUsedItsRetries()
    {
        var inProgress = await InProgressEventAsync();
        await db.ScalarAsync("UPDATE likeness_need_indexing_queue SET retry_count = $2 WHERE id = $1", inProgress.Id, LikenessNeedIndexingQueueAccess.MaxRetryCount);
        var before = await queue.GetEventByIdAsync(inProgress.Id);

        Assert.IsFalse(await queue.MarkEventAwaitingRetryAsync(inProgress.Id, DateTimeOffset.UtcNow));

        Assert.AreEqual(before, await queue.GetEventByIdAsync(inProgress.Id));
        Assert.IsTrue(await queue.MarkEventFailedAsync(inProgress.Id, "out of retries"));
        Assert.AreEqual(LikenessNeedIndexingQueueAccess.MaxRetryCount, await queue.GetEventRetryCountAsync(inProgress.Id), "failing schedules no retry");
    }

    [TestMethod]
    public async Task FifthRetryIsStillGranted()
    {
        var inProgress = await InProgressEventAsync();
        await db.ScalarAsync("UPDATE likeness_need_indexing_queue SET retry_count = $2 WHERE id = $1", inProgress.Id, LikenessNeedIndexingQueueAccess.MaxRetryCount - 1);

        Assert.IsTrue(await queue.MarkEventAwaitingRetryAsync(inProgress.Id, DateTimeOffset.UtcNow));

        Assert.AreEqual(LikenessNeedIndexingQueueAccess.MaxRetryCount, await queue.GetEventRetryCountAsync(inProgress.Id));
    }

    [TestMethod]
    public async Task CancelledEventGoesBackToPendingWithItsRetriesUnchanged()
    {
        var inProgress = await InProgressEventAsync();
        await db.ScalarAsync("UPDATE likeness_need_indexing_queue SET retry_count = 2 WHERE id = $1", inProgress.Id);
        var pending = await AddEventAsync();

        Assert.IsTrue(await queue.MarkEventPendingAsync(inProgress.Id));
        Assert.IsFalse(await queue.MarkEventPendingAsync(inProgress.Id), "only from IN_PROGRESS");
        Assert.IsFalse(await queue.MarkEventPendingAsync(pending.Id));

        var released = await queue.GetEventByIdAsync(inProgress.Id);
        Assert.AreEqual((QueueStatus.Pending, 2), (released!.Status, released.RetryCount));
        Assert.AreEqual(pending, await queue.GetEventByIdAsync(pending.Id));
    }

    [TestMethod]
    public async Task NewEventHasNoRetries()
    {
        var pending = await AddEventAsync();

        Assert.AreEqual(0, await queue.GetEventRetryCountAsync(pending.Id));
    }

    // Timeouts and retries (they sweep the whole table: each test owns its database) -----

    [TestMethod]
    public async Task OnlyEventsStuckInProgressTimeOut()
    {
        await using var own = await TestDatabase.CreateAsync();
        var ownQueue = new LikenessNeedIndexingQueueAccess(own.DataSource);
        var stuck = await TestData.InProgressEventAsync(own, ownQueue);
        await MakeOldAsync(own, stuck.Id, StuckFor);
        var busy = await TestData.InProgressEventAsync(own, ownQueue);
        var oldPending = await TestData.AddEventAsync(own, ownQueue);
        await MakeOldAsync(own, oldPending.Id, StuckFor);
        var oldPendingBefore = await ownQueue.GetEventByIdAsync(oldPending.Id);

        var timedOut = await ownQueue.MarkTimedOutEventsAsync(TimeoutAfter);

        Assert.HasCount(1, timedOut);
        var swept = timedOut[0];
        Assert.AreEqual(stuck.Id, swept.Id);
        Assert.AreEqual(QueueStatus.Timeout, swept.Status);
        Assert.AreEqual(1, swept.RetryCount);
        Assert.AreEqual(swept.UpdatedAt, swept.RetryAt, "due for a retry at once");
        Assert.AreEqual(swept, await ownQueue.GetEventByIdAsync(stuck.Id));
        Assert.AreEqual(busy, await ownQueue.GetEventByIdAsync(busy.Id));
        Assert.AreEqual(oldPendingBefore, await ownQueue.GetEventByIdAsync(oldPending.Id));
        Assert.IsEmpty(await ownQueue.MarkTimedOutEventsAsync(TimeoutAfter));
    }

    [TestMethod]
    public async Task LateWorkerCannotFinishAnEventThatTimedOut()
    {
        await using var own = await TestDatabase.CreateAsync();
        var ownQueue = new LikenessNeedIndexingQueueAccess(own.DataSource);
        var stuck = await TestData.InProgressEventAsync(own, ownQueue);
        await MakeOldAsync(own, stuck.Id, StuckFor);
        var swept = (await ownQueue.MarkTimedOutEventsAsync(TimeoutAfter)).Single();

        Assert.IsFalse(await ownQueue.MarkEventCompletedAsync(stuck.Id));
        Assert.IsFalse(await ownQueue.MarkEventFailedAsync(stuck.Id, "late"));
        Assert.IsFalse(await ownQueue.MarkEventAwaitingRetryAsync(stuck.Id, DateTimeOffset.UtcNow));

        Assert.AreEqual(swept, await ownQueue.GetEventByIdAsync(stuck.Id));
    }

    [TestMethod]
    public async Task DueRetriesAndTimeoutsWithRetriesLeftBecomePendingAgain()
    {
        await using var own = await TestDatabase.CreateAsync();
        var ownQueue = new LikenessNeedIndexingQueueAccess(own.DataSource);
        var due = await TestData.InProgressEventAsync(own, ownQueue);
        Assert.IsTrue(await ownQueue.MarkEventAwaitingRetryAsync(due.Id, DateTimeOffset.UtcNow.AddHours(-1)));
        var notYetDue = await TestData.InProgressEventAsync(own, ownQueue);
        Assert.IsTrue(await ownQueue.MarkEventAwaitingRetryAsync(notYetDue.Id, DateTimeOffset.UtcNow.AddHours(1)));
        var timedOut = await TestData.InProgressEventAsync(own, ownQueue);
        await MakeOldAsync(own, timedOut.Id, StuckFor);
        var exhausted = await TestData.InProgressEventAsync(own, ownQueue);
        await own.ScalarAsync("UPDATE likeness_need_indexing_queue SET retry_count = $2 WHERE id = $1", exhausted.Id, LikenessNeedIndexingQueueAccess.MaxRetryCount);
        await MakeOldAsync(own, exhausted.Id, StuckFor);
        Assert.HasCount(2, await ownQueue.MarkTimedOutEventsAsync(TimeoutAfter));
        var notYetDueBefore = await ownQueue.GetEventByIdAsync(notYetDue.Id);
        var exhaustedBefore = await ownQueue.GetEventByIdAsync(exhausted.Id);

        Assert.AreEqual(2, await ownQueue.ProcessRetryableEventsAsync());

        var retried = await ownQueue.GetEventByIdAsync(due.Id);
        Assert.AreEqual((QueueStatus.Pending, 1), (retried!.Status, retried.RetryCount));
        var retriedAfterTimeout = await ownQueue.GetEventByIdAsync(timedOut.Id);
        Assert.AreEqual((QueueStatus.Pending, 1), (retriedAfterTimeout!.Status, retriedAfterTimeout.RetryCount));
        Assert.AreEqual(notYetDueBefore, await ownQueue.GetEventByIdAsync(notYetDue.Id));
        var exhaustedAfter = await ownQueue.GetEventByIdAsync(exhausted.Id);
        Assert.AreEqual((QueueStatus.Failed, exhaustedBefore!.UpdatedAt), (exhaustedAfter!.Status, exhaustedAfter.UpdatedAt), "a failed timeout is not promoted");
        Assert.AreEqual(LikenessNeedIndexingQueueAccess.MaxRetryCount, exhaustedBefore.RetryCount);
        Assert.AreEqual(0, await ownQueue.ProcessRetryableEventsAsync());
    }

    [TestMethod]
    public async Task TimeoutOnTheLastAttemptEndsFailedAndEarlierOnesAreRetried()
    {
        await using var own = await TestDatabase.CreateAsync();
        var ownQueue = new LikenessNeedIndexingQueueAccess(own.DataSource);
        var exhausted = await TestData.InProgressEventAsync(own, ownQueue);
        await own.ScalarAsync("UPDATE likeness_need_indexing_queue SET retry_count = $2 WHERE id = $1", exhausted.Id, LikenessNeedIndexingQueueAccess.MaxRetryCount);
        var lastRetry = await TestData.InProgressEventAsync(own, ownQueue);
        await own.ScalarAsync("UPDATE likeness_need_indexing_queue SET retry_count = $2 WHERE id = $1", lastRetry.Id, LikenessNeedIndexingQueueAccess.MaxRetryCount - 1);
        await MakeOldAsync(own, exhausted.Id, StuckFor);
        await MakeOldAsync(own, lastRetry.Id, StuckFor);

        var swept = (await ownQueue.MarkTimedOutEventsAsync(TimeoutAfter)).ToDictionary(e => e.Id);

        Assert.AreEqual((QueueStatus.Failed, LikenessNeedIndexingQueueAccess.MaxRetryCount), (swept[exhausted.Id].Status, swept[exhausted.Id].RetryCount));
        Assert.IsTrue(JsonElement.DeepEquals(JsonElement.Parse("""{"error":"timed out on its last attempt"}"""), swept[exhausted.Id].Info!.Value));
        Assert.AreEqual((QueueStatus.Timeout, LikenessNeedIndexingQueueAccess.MaxRetryCount), (swept[lastRetry.Id].Status, swept[lastRetry.Id].RetryCount));
        Assert.AreEqual(1, await ownQueue.ProcessRetryableEventsAsync(), "the fifth retry is still granted");
        Assert.AreEqual(QueueStatus.Failed, (await ownQueue.GetEventByIdAsync(exhausted.Id))!.Status);
    }

    [TestMethod]
    public async Task HeartbeatKeepsASlowEventFromBeingSwept()
    {
        await using var own = await TestDatabase.CreateAsync();
        var ownQueue = new LikenessNeedIndexingQueueAccess(own.DataSource);
        var slow = await TestData.InProgressEventAsync(own, ownQueue);
        var silent = await TestData.InProgressEventAsync(own, ownQueue);
        var pending = await TestData.AddEventAsync(own, ownQueue);
        await MakeOldAsync(own, slow.Id, StuckFor);
        await MakeOldAsync(own, silent.Id, StuckFor);

        Assert.IsTrue(await ownQueue.RefreshEventHeartbeatAsync(slow.Id));
        Assert.IsFalse(await ownQueue.RefreshEventHeartbeatAsync(pending.Id), "only a running event has a heartbeat");

        Assert.AreEqual(silent.Id, (await ownQueue.MarkTimedOutEventsAsync(TimeoutAfter)).Single().Id);
        Assert.AreEqual(QueueStatus.InProgress, (await ownQueue.GetEventByIdAsync(slow.Id))!.Status);
        Assert.IsFalse(await ownQueue.RefreshEventHeartbeatAsync(silent.Id), "a swept event's heartbeat is refused");
        Assert.AreEqual(pending, await ownQueue.GetEventByIdAsync(pending.Id));
    }

    [TestMethod]
    public async Task EventIsAttemptedAtMostOnceMoreThanItsRetriesAndItsLastFailureIsFinal()
    {
        await using var own = await TestDatabase.CreateAsync();
        var ownQueue = new LikenessNeedIndexingQueueAccess(own.DataSource);
        var added = await TestData.AddEventAsync(own, ownQueue);

        var attempts = 0;

        while (await ownQueue.ClaimNextPendingEventAsync() is { } claimed)
        {
            Assert.AreEqual(added.Id, claimed.Id);
            Assert.AreEqual(attempts++, claimed.RetryCount);
            if (await ownQueue.MarkEventAwaitingRetryAsync(added.Id, DateTimeOffset.UtcNow.AddHours(-1)))
            {
                Assert.AreEqual(1, await ownQueue.ProcessRetryableEventsAsync());
            }
        }

        Assert.AreEqual(LikenessNeedIndexingQueueAccess.MaxRetryCount + 1, attempts);
        Assert.IsTrue(await ownQueue.MarkEventFailedAsync(added.Id, "gave up"));
        var failed = await ownQueue.GetEventByIdAsync(added.Id);
        Assert.AreEqual((QueueStatus.Failed, LikenessNeedIndexingQueueAccess.MaxRetryCount), (failed!.Status, failed.RetryCount));
    }

    // Retention (it deletes across the table: each test owns its database) ----------------

    [TestMethod]
    public async Task ExpiredFinishedEventsAreDeletedInBatchesAndTheRestKept()
    {
        await using var own = await TestDatabase.CreateAsync();
        var ownQueue = new LikenessNeedIndexingQueueAccess(own.DataSource);
        var kept = new List<string>();
        async Task<string> EventAsync(string status, TimeSpan age)
        {
            var added = await TestData.AddEventAsync(own, ownQueue);
            await own.ScalarAsync(
                "UPDATE likeness_need_indexing_queue SET status = $2::likeness_need_indexing_queue_status, updated_at = now() - $3::interval WHERE id = $1",
                added.Id, status, age);
            return added.Id;
        }
        for (var i = 0; i < 3; i++)
        {
            await EventAsync("COMPLETED", TimeSpan.FromDays(31));
        }
        await EventAsync("DISCARDED", TimeSpan.FromDays(31));
        await EventAsync("FAILED", TimeSpan.FromDays(91));
        kept.Add(await EventAsync("COMPLETED", TimeSpan.FromDays(29)));
        kept.Add(await EventAsync("FAILED", TimeSpan.FromDays(60)));
        foreach (var active in new[] { "PENDING", "AWAITING_RETRY", "TIMEOUT" })
        {
            kept.Add(await EventAsync(active, TimeSpan.FromDays(365)));
        }

        var first = await ownQueue.DeleteExpiredEventsAsync(TimeSpan.FromDays(30), TimeSpan.FromDays(90), batchSize: 3);
        var second = await ownQueue.DeleteExpiredEventsAsync(TimeSpan.FromDays(30), TimeSpan.FromDays(90), batchSize: 3);
        var third = await ownQueue.DeleteExpiredEventsAsync(TimeSpan.FromDays(30), TimeSpan.FromDays(90), batchSize: 3);

        Assert.AreEqual(3, first.Finished + first.Failed, "a batch is bounded");
        Assert.AreEqual((4, 1), (first.Finished + second.Finished, first.Failed + second.Failed));
        Assert.AreEqual((0, 0), third);
        var left = await own.ScalarAsync("SELECT string_agg(id, ',' ORDER BY id COLLATE \"C\") FROM likeness_need_indexing_queue");
        Assert.AreEqual(string.Join(',', kept.Order(StringComparer.Ordinal)), left);
    }

    // Re-indexing (it walks every account: each test owns its database) -------------------

    [TestMethod]
    public async Task ReindexEnqueuesOneEventPerIndexableAccountInBatchesAndNoDuplicateOnASecondRun()
    {
        await using var own = await TestDatabase.CreateAsync();
        var ownQueue = new LikenessNeedIndexingQueueAccess(own.DataSource);
        var expected = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var complete = await TestData.CreateAccountAsync(own.DataSource);
            await TestData.InsertTermAsync(own, complete.Id, "LIKENESS", "APPROVED");
            expected.Add(complete.Id);
        }
        var unnamed = await TestData.CreateAccountAsync(own.DataSource, displayName: " ");
        await TestData.InsertTermAsync(own, unnamed.Id, "LIKENESS", "APPROVED");
        var withoutTerm = await TestData.CreateAccountAsync(own.DataSource);
        var noLongerIndexable = await TestData.CreateAccountAsync(own.DataSource, imageUrl: null);
        await new LikenessSearchAccess(own.DataSource).UpsertSearchIndexAsync(noLongerIndexable.Id, new SearchAttributes { Gender = Gender.Male });
        expected.Add(noLongerIndexable.Id);
        var waiting = await TestData.CreateAccountAsync(own.DataSource);
        await TestData.InsertTermAsync(own, waiting.Id, "LIKENESS", "APPROVED");
        var alreadyQueued = await ownQueue.AddToQueueAsync(waiting.Id, QueueElementType.ImageAsset, null, null);

        var batches = await ReindexAllAsync(ownQueue, batchSize: 2, staleForModel: null);

        Assert.AreEqual((5, 4), (batches.Sum(b => b.Scanned), batches.Sum(b => b.Enqueued)));
        Assert.IsTrue(batches.All(b => b.Scanned <= 2));
        var enqueued = await own.ScalarAsync("""
            SELECT string_agg(account_id, ',' ORDER BY account_id COLLATE "C") FROM likeness_need_indexing_queue
            WHERE status = 'PENDING' AND element_type = 'LIKENESS_TERM' AND info->>'source' = 'reindex'
            """);
        Assert.AreEqual(string.Join(',', expected.Order(StringComparer.Ordinal)), enqueued);
        Assert.AreEqual(1L, await own.ScalarAsync("SELECT count(*) FROM likeness_need_indexing_queue WHERE account_id = $1", waiting.Id));
        Assert.AreEqual(alreadyQueued, await ownQueue.GetEventByIdAsync(alreadyQueued.Id));
        Assert.AreEqual(0L, await own.ScalarAsync("SELECT count(*) FROM likeness_need_indexing_queue WHERE account_id IN ($1, $2)", unnamed.Id, withoutTerm.Id));

        var again = await ReindexAllAsync(ownQueue, batchSize: 2, staleForModel: null);

        Assert.AreEqual((5, 0), (again.Sum(b => b.Scanned), again.Sum(b => b.Enqueued)));
    }

    [TestMethod]
    public async Task StaleModelReindexEnqueuesOnlyAccountsWhoseVectorIsOfAnotherModel()
    {
        await using var own = await TestDatabase.CreateAsync();
        var ownQueue = new LikenessNeedIndexingQueueAccess(own.DataSource);
        var current = await TestData.CreateAccountAsync(own.DataSource);
        await new LikenessSearchVectorAccess(own.DataSource, "model-b").VectorUpsertAsync(current.Id, "tags", TestData.Axis(0));
        var stale = await TestData.CreateAccountAsync(own.DataSource);
        await new LikenessSearchVectorAccess(own.DataSource, "model-a").VectorUpsertAsync(stale.Id, "tags", TestData.Axis(0));
        var unknown = await TestData.CreateAccountAsync(own.DataSource);
        await new LikenessSearchVectorAccess(own.DataSource, "model-a").VectorUpsertAsync(unknown.Id, "tags", TestData.Axis(0));
        await own.ScalarAsync("UPDATE likeness_search_vector SET embedding_model = NULL WHERE account_id = $1", unknown.Id);
        await TestData.InsertTermAsync(own, (await TestData.CreateAccountAsync(own.DataSource)).Id, "LIKENESS", "APPROVED");

        var batches = await ReindexAllAsync(ownQueue, batchSize: 10, staleForModel: "model-b");

        Assert.AreEqual(2, batches.Sum(b => b.Enqueued));
        Assert.AreEqual(
            string.Join(',', new[] { stale.Id, unknown.Id }.Order(StringComparer.Ordinal)),
            await own.ScalarAsync("SELECT string_agg(account_id, ',' ORDER BY account_id COLLATE \"C\") FROM likeness_need_indexing_queue"));
    }

    private static async Task<List<ReindexBatch>> ReindexAllAsync(LikenessNeedIndexingQueueAccess access, int batchSize, string? staleForModel)
    {
        var batches = new List<ReindexBatch>();
        string? after = null;
        do
        {
            var batch = await access.AddReindexEventsAsync(after, batchSize, staleForModel);
            batches.Add(batch);
            after = batch.LastAccountId;
        }
        while (batches[^1].Scanned == batchSize);
        return batches;
    }

    // Per-account queries ---------------------------------------------------------------

    [TestMethod]
    public async Task AccountHasAnActiveEventWhilePendingInProgressAwaitingRetryOrTimedOut()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        Assert.IsFalse(await queue.HasActiveEventForAccountAsync(account.Id));
        var added = await queue.AddToQueueAsync(account.Id, QueueElementType.LikenessTerm, null, null);

        Assert.IsTrue(await queue.HasActiveEventForAccountAsync(account.Id), "pending");
        Assert.IsTrue(await queue.MarkEventInProgressAsync(added.Id));
        Assert.IsTrue(await queue.HasActiveEventForAccountAsync(account.Id), "in progress");
        Assert.IsTrue(await queue.MarkEventAwaitingRetryAsync(added.Id, DateTimeOffset.UtcNow.AddHours(1)));
        Assert.IsTrue(await queue.HasActiveEventForAccountAsync(account.Id), "awaiting retry");
        await db.ScalarAsync("UPDATE likeness_need_indexing_queue SET status = 'TIMEOUT' WHERE id = $1", added.Id);
        Assert.IsTrue(await queue.HasActiveEventForAccountAsync(account.Id), "timed out, due for a retry");
    }

    [TestMethod]
    public async Task AccountWithOnlyFinishedEventsHasNoActiveEvent()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var completed = await TestData.InProgressEventAsync(db, queue, account.Id);
        Assert.IsTrue(await queue.MarkEventCompletedAsync(completed.Id));
        var failed = await TestData.InProgressEventAsync(db, queue, account.Id);
        Assert.IsTrue(await queue.MarkEventFailedAsync(failed.Id, "boom"));
        var discarded = await TestData.AddEventAsync(db, queue, account.Id);
        Assert.IsTrue(await queue.MarkEventDiscardedAsync(discarded.Id, "stale"));
        var otherAccount = await TestData.CreateAccountAsync(db.DataSource);
        await TestData.AddEventAsync(db, queue, otherAccount.Id);

        Assert.IsFalse(await queue.HasActiveEventForAccountAsync(account.Id));
    }

    [TestMethod]
    public async Task OtherPendingEventsOfTheAccountAreDiscardedAsSuperseded()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var kept = await TestData.AddEventAsync(db, queue, account.Id);
        var plain = await TestData.AddEventAsync(db, queue, account.Id);
        var withInfo = await queue.AddToQueueAsync(account.Id, QueueElementType.VoiceTerm, "term-1", JsonElement.Parse("""{"source":"terms"}"""));
        var busy = await TestData.InProgressEventAsync(db, queue, account.Id);
        var otherAccount = await TestData.CreateAccountAsync(db.DataSource);
        var otherAccountsEvent = await TestData.AddEventAsync(db, queue, otherAccount.Id);

        Assert.AreEqual(2, await queue.MarkOtherPendingEventsAsDiscardedAsync(account.Id, kept.Id));

        var plainRead = await queue.GetEventByIdAsync(plain.Id);
        Assert.AreEqual(QueueStatus.Discarded, plainRead!.Status);
        Assert.IsTrue(JsonElement.DeepEquals(JsonElement.Parse($$"""{"reason":"superseded","supersededBy":"{{kept.Id}}"}"""), plainRead.Info!.Value));
        var withInfoRead = await queue.GetEventByIdAsync(withInfo.Id);
        Assert.AreEqual(QueueStatus.Discarded, withInfoRead!.Status);
        Assert.IsTrue(JsonElement.DeepEquals(JsonElement.Parse($$"""{"source":"terms","reason":"superseded","supersededBy":"{{kept.Id}}"}"""), withInfoRead.Info!.Value));
        Assert.AreEqual(kept, await queue.GetEventByIdAsync(kept.Id));
        Assert.AreEqual(busy, await queue.GetEventByIdAsync(busy.Id));
        Assert.AreEqual(otherAccountsEvent, await queue.GetEventByIdAsync(otherAccountsEvent.Id));
        Assert.AreEqual(0, await queue.MarkOtherPendingEventsAsDiscardedAsync(account.Id, kept.Id));
    }

    [TestMethod]
    public async Task DeletingTheAccountDeletesItsEvents()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var pending = await TestData.AddEventAsync(db, queue, account.Id);
        var inProgress = await TestData.InProgressEventAsync(db, queue, account.Id);

        Assert.IsTrue(await new AccountsAccess(db.DataSource).DeleteAccountAsync(account.Id));

        Assert.IsNull(await queue.GetEventByIdAsync(pending.Id));
        Assert.IsNull(await queue.GetEventByIdAsync(inProgress.Id));
        Assert.IsFalse(await queue.HasActiveEventForAccountAsync(account.Id));
        Assert.AreEqual(0L, await db.ScalarAsync("SELECT count(*) FROM likeness_need_indexing_queue WHERE account_id = $1", account.Id));
    }

    // Bad input -------------------------------------------------------------------------

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("   ")]
    public async Task BlankIdsAreRejectedNamingTheArgument(string? blank)
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var calls = new (string ParamName, Func<Task> Call)[]
        {
            ("accountId", () => queue.AddToQueueAsync(blank!, QueueElementType.ImageAsset, null, null)),
            ("eventId", () => queue.GetEventByIdAsync(blank!)),
            ("eventId", () => queue.MarkEventInProgressAsync(blank!)),
            ("eventId", () => queue.MarkEventCompletedAsync(blank!)),
            ("eventId", () => queue.MarkEventFailedAsync(blank!, "boom")),
            ("eventId", () => queue.MarkEventDiscardedAsync(blank!, "stale")),
            ("eventId", () => queue.MarkEventAwaitingRetryAsync(blank!, DateTimeOffset.UtcNow)),
            ("eventId", () => queue.GetEventRetryCountAsync(blank!)),
            ("eventId", () => queue.MarkEventPendingAsync(blank!)),
            ("eventId", () => queue.RefreshEventHeartbeatAsync(blank!)),
            ("accountId", () => queue.HasActiveEventForAccountAsync(blank!)),
            ("accountId", () => queue.MarkOtherPendingEventsAsDiscardedAsync(blank!, "event")),
            ("excludeEventId", () => queue.MarkOtherPendingEventsAsDiscardedAsync(account.Id, blank!)),
        };

        foreach (var (paramName, call) in calls)
        {
            var error = await Assert.ThrowsAsync<ArgumentException>(call);
            Assert.AreEqual(paramName, error.ParamName);
        }
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("   ")]
    public async Task BlankElementIdIsRejectedNamingTheArgument(string blank)
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);

        var error = await Assert.ThrowsExactlyAsync<ArgumentException>(
            () => queue.AddToQueueAsync(account.Id, QueueElementType.ImageAsset, blank, null));

        Assert.AreEqual("elementId", error.ParamName);
        Assert.IsFalse(await queue.HasActiveEventForAccountAsync(account.Id));
    }

    [TestMethod]
    public async Task UndefinedElementTypeIsRejectedNamingTheArgument()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);

        var error = await Assert.ThrowsExactlyAsync<ArgumentOutOfRangeException>(
            () => queue.AddToQueueAsync(account.Id, (QueueElementType)99, null, null));

        Assert.AreEqual("elementType", error.ParamName);
    }

    [TestMethod]
    [DataRow("[1,2]")]
    [DataRow("\"text\"")]
    [DataRow("42")]
    [DataRow("null")]
    public async Task InfoThatIsNotAJsonObjectIsRejectedNamingTheArgument(string json)
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);

        var error = await Assert.ThrowsExactlyAsync<ArgumentException>(
            () => queue.AddToQueueAsync(account.Id, QueueElementType.ImageAsset, null, JsonElement.Parse(json)));

        Assert.AreEqual("info", error.ParamName);
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("   ")]
    public async Task BlankErrorOrReasonIsRejectedNamingTheArgument(string? blank)
    {
        var inProgress = await InProgressEventAsync();
        var pending = await AddEventAsync();

        var failError = await Assert.ThrowsAsync<ArgumentException>(() => queue.MarkEventFailedAsync(inProgress.Id, blank!));
        var discardError = await Assert.ThrowsAsync<ArgumentException>(() => queue.MarkEventDiscardedAsync(pending.Id, blank!));

        Assert.AreEqual("errorInfo", failError.ParamName);
        Assert.AreEqual("reason", discardError.ParamName);
        if (blank is not null)
        {
            var retryError = await Assert.ThrowsExactlyAsync<ArgumentException>(() => queue.MarkEventAwaitingRetryAsync(inProgress.Id, DateTimeOffset.UtcNow, blank));
            Assert.AreEqual("errorInfo", retryError.ParamName);
        }
        Assert.AreEqual(inProgress, await queue.GetEventByIdAsync(inProgress.Id));
        Assert.AreEqual(pending, await queue.GetEventByIdAsync(pending.Id));
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(-60)]
    public async Task TimeoutThatIsNotPositiveIsRejectedNamingTheArgument(int seconds)
    {
        var error = await Assert.ThrowsExactlyAsync<ArgumentOutOfRangeException>(
            () => queue.MarkTimedOutEventsAsync(TimeSpan.FromSeconds(seconds)));

        Assert.AreEqual("olderThan", error.ParamName);
    }

    // Helpers ---------------------------------------------------------------------------

    private static Task<QueueEvent> AddEventAsync() => TestData.AddEventAsync(db, queue);

    private static Task<QueueEvent> InProgressEventAsync() => TestData.InProgressEventAsync(db, queue);

    /// <summary>
    /// Runs <paramref name="race"/> while another transaction has moved <paramref name="eventId"/> to
    /// IN_PROGRESS but not yet committed, and commits once <paramref name="race"/> waits on it.
    /// </summary>
    private static async Task<T> WhileAnotherWorkerClaimsAsync<T>(TestDatabase database, string eventId, Func<Task<T>> race)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var claim = new NpgsqlCommand("UPDATE likeness_need_indexing_queue SET status = 'IN_PROGRESS', updated_at = now() WHERE id = $1", connection, transaction))
        {
            claim.Parameters.Add(new NpgsqlParameter { Value = eventId });
            Assert.AreEqual(1, await claim.ExecuteNonQueryAsync());
        }

        var racing = race();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((long)(await database.ScalarAsync("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"))! == 0)
        {
            Assert.IsLessThan(deadline, DateTime.UtcNow, "the racing statement never waited for the other transaction");
            await Task.Delay(10);
        }
        await transaction.CommitAsync();
        return await racing;
    }

    private static Task MakeOldAsync(TestDatabase database, string eventId, TimeSpan age) =>
        database.ScalarAsync("UPDATE likeness_need_indexing_queue SET updated_at = now() - $2::interval WHERE id = $1", eventId, age);
}
