using Likeness.Shared.Data;

namespace LikenessFunctions.Tests;

[TestClass]
public sealed class TimerScheduleTests
{
    [TestMethod]
    public async Task UnderTheHostTheTimersIndexQueuedEventsOnTheirSchedules()
    {
        await using var harness = await PipelineHarness.StartAsync(new()
        {
            ["Timers__ProcessIndexingQueue__Schedule"] = "* * * * * *",
        }, startApp: false);
        var events = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var account = await harness.CreateCompleteAccountAsync();
            await harness.AddImageAsync(account);
            events.Add((await harness.Queue.AddToQueueAsync(account.Id, QueueElementType.ImageAsset, null, null)).Id);
        }

        await harness.StartAppAsync(runTimers: true);
        for (var poll = 0; poll < 600 && await harness.Db.ScalarAsync("SELECT count(*) FROM likeness_need_indexing_queue WHERE status <> 'COMPLETED'") is > 0L; poll++)
        {
            await Task.Delay(100);
        }

        foreach (var id in events)
        {
            Assert.AreEqual(QueueStatus.Completed, (await harness.EventAsync(id)).Status, harness.App.Output);
        }
        Assert.AreEqual(3L, await harness.Db.ScalarAsync("SELECT count(*) FROM likeness_search"));
    }
}
