using Likeness.Shared.Data;

namespace LikenessFunctions.Tests;

[TestClass]
public sealed class StandaloneTimerTests
{
    [TestMethod]
    public async Task WithoutAFunctionsHostTheAppRunsItsTimersAndEachRunsOnOneInstanceAtATime()
    {
        await using var harness = await PipelineHarness.StartAsync(new()
        {
            ["Timers__RunStandalone"] = "true",
            ["Timers__ProcessIndexingQueue__Schedule"] = "* * * * * *",
            ["Indexing__MaxParallelism"] = "1",
            ["Indexing__BatchSize"] = "1",
        }, startApp: false);
        harness.Ai.HangTime = TimeSpan.FromSeconds(1);
        harness.Ai.FailNext(3, Likeness.Testing.FakeFailure.Hang);
        var events = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var account = await harness.CreateCompleteAccountAsync();
            await harness.AddImageAsync(account);
            events.Add((await harness.Queue.AddToQueueAsync(account.Id, QueueElementType.ImageAsset, null, null)).Id);
        }

        await Task.WhenAll(harness.StartAppAsync(standalone: true), harness.StartAppAsync(standalone: true));
        var mostInProgress = 0L;
        for (var poll = 0; poll < 300 && await harness.Db.ScalarAsync("SELECT count(*) FROM likeness_need_indexing_queue WHERE status <> 'COMPLETED'") is > 0L; poll++)
        {
            mostInProgress = Math.Max(mostInProgress, (long)(await harness.Db.ScalarAsync("SELECT count(*) FROM likeness_need_indexing_queue WHERE status = 'IN_PROGRESS'"))!);
            await Task.Delay(50);
        }

        foreach (var id in events)
        {
            Assert.AreEqual(QueueStatus.Completed, (await harness.EventAsync(id)).Status, harness.App.Output);
        }
        Assert.AreEqual(1L, mostInProgress, "two instances, one worker each, yet never two events at once");
    }
}
