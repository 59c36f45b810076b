using Likeness.Shared.Indexing;

namespace LikenessFunctions.Timers;

/// <summary>
/// The three timers that drive the indexing queue. Their NCRONTAB schedules are app settings
/// (<c>Timers__{Function}__Schedule</c>) that the host resolves; the host also runs each as a
/// singleton across instances. Every queue transition is guarded in SQL, so a run that overlaps
/// another (or dies half way) loses or repeats nothing.
/// </summary>
public sealed class IndexingTimers(IndexingQueueProcessor processor, QueueMaintenance maintenance, ILogger<IndexingTimers> logger)
{
    [Function(nameof(ProcessIndexingQueue))]
    public async Task ProcessIndexingQueue(
        [TimerTrigger("%Timers:ProcessIndexingQueue:Schedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        Report(nameof(ProcessIndexingQueue), timer, (await processor.ProcessAsync(cancellationToken)).ToString());

    [Function(nameof(SweepTimedOutEvents))]
    public async Task SweepTimedOutEvents(
        [TimerTrigger("%Timers:SweepTimedOutEvents:Schedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        Report(nameof(SweepTimedOutEvents), timer, await maintenance.SweepTimedOutEventsAsync(cancellationToken));

    [Function(nameof(PromoteRetryableEvents))]
    public async Task PromoteRetryableEvents(
        [TimerTrigger("%Timers:PromoteRetryableEvents:Schedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        Report(nameof(PromoteRetryableEvents), timer, await maintenance.PromoteRetryableEventsAsync(cancellationToken));

    private void Report(string function, TimerInfo timer, string summary)
    {
        if (timer.IsPastDue)
        {
            logger.LogInformation("Timer {Function} ran past due", function);
        }
        logger.LogInformation("Timer {Function}: {Summary}", function, summary);
    }
}
