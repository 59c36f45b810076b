using System.Collections.Concurrent;
using System.Diagnostics;
using Likeness.Shared.Data;
using Likeness.Shared.Providers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Likeness.Shared.Indexing;

/// <summary>
/// One ProcessIndexingQueue run: several workers process the oldest PENDING events (never two of
/// one account) until the batch, the time budget or the queue runs out. A failure becomes a
/// retry with backoff, or FAILED on the last allowed attempt; the error is kept in the event.
/// While the run holds events their heartbeats are kept, so only a run that is gone gets swept;
/// a run cancelled by shutdown gives its events back as PENDING without spending an attempt.
/// </summary>
/// <remarks>
/// A worker that finds nothing to do claims up to one event per worker in one statement (which
/// also discards the claimed accounts' other PENDING events), keeps one and leaves the rest to the
/// next free workers: the queue's cost per event is about one statement (the indexer's commit)
/// instead of three, while a run never holds more than a handful of events it is not working on.
/// </remarks>
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
        var workers = Math.Max(1, settings.MaxParallelism);
        var held = new ConcurrentDictionary<string, QueueEvent>();
        var waiting = new ConcurrentQueue<QueueEvent>();
        using var claimGate = new SemaphoreSlim(1, 1);
        var claimed = 0;

        async Task<QueueEvent?> NextAsync()
        {
            while (true)
            {
                while (waiting.TryDequeue(out var next))
                {
                    // One the heartbeat found swept meanwhile belongs to a retry now.
                    if (held.ContainsKey(next.Id))
                    {
                        return next;
                    }
                }
                await claimGate.WaitAsync(CancellationToken.None);
                try
                {
                    if (!waiting.IsEmpty)
                    {
                        continue;
                    }
                    var count = Math.Min(workers, settings.BatchSize - claimed);
                    if (count <= 0 || cancellationToken.IsCancellationRequested)
                    {
                        return null;
                    }
                    // Not cancellable: a claim that committed but was cancelled while its rows were read
                    // would leave events IN_PROGRESS that nobody works on until the sweep.
                    var batch = await queue.ClaimPendingEventsAsync(count, CancellationToken.None);
                    claimed += batch.Events.Count;
                    summary.Add(discarded: batch.Discarded);
                    if (batch.Events.Count == 0)
                    {
                        return null;
                    }
                    foreach (var queueEvent in batch.Events)
                    {
                        held[queueEvent.Id] = queueEvent;
                    }
                    foreach (var queueEvent in batch.Events.Skip(1))
                    {
                        waiting.Enqueue(queueEvent);
                    }
                    return batch.Events[0];
                }
                finally
                {
                    claimGate.Release();
                }
            }
        }

        async Task WorkAsync()
        {
            while (!cancellationToken.IsCancellationRequested && clock.Elapsed < settings.TimeBudget
                   && await NextAsync() is { } queueEvent)
            {
                await ProcessEventAsync(queueEvent, summary, cancellationToken);
                held.TryRemove(queueEvent.Id, out _);
            }
        }

        using var stopHeartbeat = new CancellationTokenSource();
        var heartbeat = KeepHeartbeatsAsync(held, stopHeartbeat.Token);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(WorkAsync, CancellationToken.None)));
        }
        finally
        {
            // Claimed but never started (the budget ran out, or shutdown): back to the queue as if never claimed.
            var unstarted = new List<string>();
            while (waiting.TryDequeue(out var left))
            {
                if (held.TryRemove(left.Id, out _))
                {
                    unstarted.Add(left.Id);
                }
            }
            if (unstarted.Count > 0)
            {
                var released = await queue.MarkEventsPendingAsync(unstarted, CancellationToken.None);
                summary.Add(released: released);
                logger.LogInformation("{Released} claimed events were given back as pending without being started", released);
            }
            await stopHeartbeat.CancelAsync();
            await heartbeat;
        }
        return summary;
    }

    private async Task ProcessEventAsync(QueueEvent queueEvent, QueueRunSummary summary, CancellationToken cancellationToken)
    {
        IndexOutcome? outcome = null;
        Exception? failure = null;
        try
        {
            outcome = await indexer.IndexAccountAsync(queueEvent, cancellationToken);
        }
        catch (Exception error)
        {
            failure = error;
        }

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

    /// <summary>
    /// Refreshes the heartbeat of every event the run holds (running or waiting for a worker), in
    /// one statement every <see cref="IndexingOptions.HeartbeatInterval"/>, until stopped.
    /// </summary>
    private async Task KeepHeartbeatsAsync(ConcurrentDictionary<string, QueueEvent> held, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var ids = held.Keys.ToList();
                if (ids.Count == 0)
                {
                    continue;
                }
                try
                {
                    var alive = await queue.RefreshEventHeartbeatsAsync(ids, stop);
                    foreach (var id in ids.Where(id => !alive.Contains(id)))
                    {
                        // Finished between reading the ids and the refresh, or swept: either way no longer this run's to keep.
                        if (held.TryRemove(id, out _))
                        {
                            logger.LogWarning("Event {EventId} is no longer in progress; its heartbeat stops", id);
                        }
                    }
                }
                catch (NpgsqlException error)
                {
                    // One missed beat is harmless while the timeout is several intervals long; the next tick tries again.
                    logger.LogWarning(error, "Heartbeat of {Count} events failed", ids.Count);
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
