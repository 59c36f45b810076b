using System.Diagnostics;
using Likeness.Shared.Data;
using Likeness.Shared.Providers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Likeness.Shared.Indexing;

/// <summary>
/// One ProcessIndexingQueue run: several workers claim the oldest PENDING events (never two of
/// one account) until the batch, the time budget or the queue runs out. A failure becomes a
/// retry with backoff, or FAILED on the last allowed attempt; the error is kept in the event.
/// While an event runs its heartbeat is kept, so only a worker that is gone gets swept; a run
/// cancelled by shutdown gives its events back as PENDING without spending an attempt.
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
                // Not cancellable: a claim that committed but was cancelled while its row was read
                // would leave an event IN_PROGRESS that nobody works on until the sweep.
                var queueEvent = await queue.ClaimNextPendingEventAsync(CancellationToken.None);
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
        using var stopHeartbeat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = KeepHeartbeatAsync(queueEvent, stopHeartbeat.Token);
        IndexOutcome? outcome = null;
        Exception? failure = null;
        try
        {
            // One run re-indexes the whole account, which covers its other waiting events.
            summary.Add(discarded: await queue.MarkOtherPendingEventsAsDiscardedAsync(queueEvent.AccountId, queueEvent.Id, cancellationToken));
            outcome = await indexer.IndexAccountAsync(queueEvent, cancellationToken);
        }
        catch (Exception error)
        {
            failure = error;
        }
        await stopHeartbeat.CancelAsync();
        await heartbeat;

        if (failure is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            // Shutdown is not the event's fault: it goes back to the queue with its attempts intact.
            if (await queue.MarkEventPendingAsync(queueEvent.Id, CancellationToken.None))
            {
                summary.Add(released: 1);
                logger.LogInformation("Event {EventId} for account {AccountId} was given back as pending: the run was cancelled", queueEvent.Id, queueEvent.AccountId);
            }
        }
        else if (failure is not null)
        {
            // Every other failure is recorded at once rather than left for the sweep.
            await RecordFailureAsync(queueEvent, failure, summary);
        }
        else if (outcome!.Completed)
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

    /// <summary>Refreshes the event's heartbeat every <see cref="IndexingOptions.HeartbeatInterval"/> until stopped.</summary>
    private async Task KeepHeartbeatAsync(QueueEvent queueEvent, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                try
                {
                    if (!await queue.RefreshEventHeartbeatAsync(queueEvent.Id, stop))
                    {
                        logger.LogWarning("Event {EventId} is no longer in progress; its heartbeat stops", queueEvent.Id);
                        return;
                    }
                }
                catch (NpgsqlException error)
                {
                    // One missed beat is harmless while the timeout is several intervals long; the next tick tries again.
                    logger.LogWarning(error, "Heartbeat of event {EventId} failed", queueEvent.Id);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task RecordFailureAsync(QueueEvent queueEvent, Exception error, QueueRunSummary summary)
    {
        var message = $"{error.GetType().Name}: {error.Message}";
        var attempt = queueEvent.RetryCount + 1;
        if (queueEvent.RetryCount >= LikenessNeedIndexingQueueAccess.MaxRetryCount)
        {
            await queue.MarkEventFailedAsync(queueEvent.Id, message, CancellationToken.None);
            summary.Add(failed: 1);
            logger.LogError(error, "Event {EventId} for account {AccountId} failed for good on attempt {Attempt}", queueEvent.Id, queueEvent.AccountId, attempt);
            return;
        }
        var delay = RetryBackoff.Delay(options.Value, queueEvent.RetryCount + 1, (error as ProviderException)?.RetryAfter);
        await queue.MarkEventAwaitingRetryAsync(queueEvent.Id, time.GetUtcNow() + delay, message, CancellationToken.None);
        summary.Add(retried: 1);
        logger.LogWarning(error, "Event {EventId} for account {AccountId} failed on attempt {Attempt}; retrying in {Delay}", queueEvent.Id, queueEvent.AccountId, attempt, delay);
    }
}

/// <summary>Counts of one run, updated by several workers at once.</summary>
public sealed class QueueRunSummary
{
    private int completed, retried, failed, discarded, dropped, released;

    public int Completed => completed;

    public int Retried => retried;

    public int Failed => failed;

    public int Discarded => discarded;

    public int Dropped => dropped;

    /// <summary>Events given back as PENDING because the run was cancelled.</summary>
    public int Released => released;

    internal void Add(int completed = 0, int retried = 0, int failed = 0, int discarded = 0, int dropped = 0, int released = 0)
    {
        Interlocked.Add(ref this.completed, completed);
        Interlocked.Add(ref this.retried, retried);
        Interlocked.Add(ref this.failed, failed);
        Interlocked.Add(ref this.discarded, discarded);
        Interlocked.Add(ref this.dropped, dropped);
        Interlocked.Add(ref this.released, released);
    }

    public override string ToString() =>
        $"completed {Completed}, retrying {Retried}, failed {Failed}, discarded {Discarded}, dropped {Dropped}, released {Released}";
}
