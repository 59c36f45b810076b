using Likeness.Shared.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Likeness.Shared.Indexing;

/// <summary>The two housekeeping timers of the queue.</summary>
public sealed class QueueMaintenance(
    LikenessNeedIndexingQueueAccess queue,
    IOptions<IndexingOptions> options,
    ILogger<QueueMaintenance> logger)
{
    /// <summary>
    /// IN_PROGRESS events whose worker went silent become TIMEOUT (a spent attempt, retried like a
    /// failure); those that have spent every attempt become FAILED, so none is silently forgotten.
    /// </summary>
    public async Task<string> SweepTimedOutEventsAsync(CancellationToken cancellationToken)
    {
        var timedOut = await queue.MarkTimedOutEventsAsync(options.Value.InProgressTimeout, cancellationToken);
        foreach (var queueEvent in timedOut)
        {
            logger.LogWarning("Event {EventId} for account {AccountId} timed out (failed attempts {RetryCount})", queueEvent.Id, queueEvent.AccountId, queueEvent.RetryCount);
        }
        var failed = await queue.MarkExhaustedTimedOutEventsFailedAsync(cancellationToken);
        return $"timed out {timedOut.Count}, failed after their last attempt timed out {failed}";
    }

    /// <summary>AWAITING_RETRY and retryable TIMEOUT events that are due go back to PENDING.</summary>
    public async Task<string> PromoteRetryableEventsAsync(CancellationToken cancellationToken) =>
        $"promoted {await queue.ProcessRetryableEventsAsync(cancellationToken)}";
}
