using System.Diagnostics;
using Likeness.Shared.Data;
using Likeness.Shared.Providers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Likeness.Shared.Indexing;

/// <summary>
/// One ProcessIndexingQueue run: several workers claim the oldest PENDING events (never two of
/// one account) until the batch, the time budget or the queue runs out. A failure becomes a
/// retry with backoff, or FAILED on the last allowed attempt; the error is kept in the event.
/// </summary>
public sealed class IndexingQueueProcessor(
    LikenessNeedIndexingQueueAccess queue,
    IAccountIndexer indexer,
    IOptions<IndexingOptions> options,
    TimeProvider time,
    ILogger<IndexingQueueProcessor> logger)
{
    public async Task<QueueRunSummary> ProcessAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var clock = Stopwatch.StartNew();
        var summary = new QueueRunSummary();
        var claims = 0;

        async Task WorkAsync()
        {
            while (!cancellationToken.IsCancellationRequested
                   && clock.Elapsed < settings.TimeBudget
                   && Interlocked.Increment(ref claims) <= settings.BatchSize)
            {
                var queueEvent = await queue.ClaimNextPendingEventAsync(cancellationToken);
                if (queueEvent is null)
                {
                    return;
                }
                await ProcessEventAsync(queueEvent, summary, cancellationToken);
            }
        }

        var workers = Math.Max(1, settings.MaxParallelism);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(WorkAsync, CancellationToken.None)));
        return summary;
    }

    private async Task ProcessEventAsync(QueueEvent queueEvent, QueueRunSummary summary, CancellationToken cancellationToken)
    {
        try
        {
            // One run re-indexes the whole account, which covers its other waiting events.
            summary.Add(discarded: await queue.MarkOtherPendingEventsAsDiscardedAsync(queueEvent.AccountId, queueEvent.Id, cancellationToken));
            var outcome = await indexer.IndexAccountAsync(queueEvent, cancellationToken);
            if (outcome.Completed)
            {
                summary.Add(completed: 1);
                logger.LogInformation("Event {EventId} for account {AccountId} completed: {Summary}", queueEvent.Id, queueEvent.AccountId, outcome.Summary);
            }
            else
            {
                summary.Add(dropped: 1);
                logger.LogWarning("Event {EventId} was no longer in progress when indexing finished; its result was dropped", queueEvent.Id);
            }
        }
        catch (Exception error)
        {
            // Every failure, shutdown included, is recorded at once rather than left for the sweep.
            await RecordFailureAsync(queueEvent, error, summary);
        }
    }

    private async Task RecordFailureAsync(QueueEvent queueEvent, Exception error, QueueRunSummary summary)
    {
        var message = $"{error.GetType().Name}: {error.Message}";
        var attempt = queueEvent.RetryCount + 1;
        if (attempt >= LikenessNeedIndexingQueueAccess.MaxRetryCount)
        {
            await queue.MarkEventFailedAsync(queueEvent.Id, message, CancellationToken.None);
            summary.Add(failed: 1);
            logger.LogError(error, "Event {EventId} for account {AccountId} failed for good on attempt {Attempt}", queueEvent.Id, queueEvent.AccountId, attempt);
            return;
        }
        var delay = RetryBackoff.Delay(options.Value, attempt, (error as ProviderException)?.RetryAfter);
        await queue.MarkEventAwaitingRetryAsync(queueEvent.Id, time.GetUtcNow() + delay, message, CancellationToken.None);
        summary.Add(retried: 1);
        logger.LogWarning(error, "Event {EventId} for account {AccountId} failed on attempt {Attempt}; retrying in {Delay}", queueEvent.Id, queueEvent.AccountId, attempt, delay);
    }
}

/// <summary>Counts of one run, updated by several workers at once.</summary>
public sealed class QueueRunSummary
{
    private int completed, retried, failed, discarded, dropped;

    public int Completed => completed;

    public int Retried => retried;

    public int Failed => failed;

    public int Discarded => discarded;

    public int Dropped => dropped;

    internal void Add(int completed = 0, int retried = 0, int failed = 0, int discarded = 0, int dropped = 0)
    {
        Interlocked.Add(ref this.completed, completed);
        Interlocked.Add(ref this.retried, retried);
        Interlocked.Add(ref this.failed, failed);
        Interlocked.Add(ref this.discarded, discarded);
        Interlocked.Add(ref this.dropped, dropped);
    }

    public override string ToString() =>
        $"completed {Completed}, retrying {Retried}, failed {Failed}, discarded {Discarded}, dropped {Dropped}";
}
