using Likeness.Shared.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Likeness.Shared.Indexing;

/// <summary>The two housekeeping timers of the queue.</summary>
public sealed class QueueMaintenance(
    LikenessNeedIndexingQueueAccess queue,
    LikenessSearchVectorAccess vectors,
    IOptions<IndexingOptions> options,
    ILogger<QueueMaintenance> logger)
{
    /// <summary>
    /// IN_PROGRESS events whose heartbeat stopped (their worker is gone) become TIMEOUT, a spent
    /// attempt retried like a failure, or FAILED when it was their last, so none is silently
    /// forgotten. Then finished events past their retention are deleted in bounded batches, and
    /// vectors of another embedding model than the configured one, which search leaves out, are counted.
    /// </summary>
    public async Task<string> SweepTimedOutEventsAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var swept = await queue.MarkTimedOutEventsAsync(settings.InProgressTimeout, cancellationToken);
        foreach (var queueEvent in swept)
        {
            logger.LogWarning("Event {EventId} for account {AccountId} timed out and is now {Status} (retries {RetryCount})",
                queueEvent.Id, queueEvent.AccountId, queueEvent.Status, queueEvent.RetryCount);
        }
        var failed = swept.Count(e => e.Status == QueueStatus.Failed);

        var (deletedFinished, deletedFailed) = (0, 0);
        for (var batch = 0; batch < settings.RetentionMaxBatches; batch++)
        {
            var (finished, failedEvents) = await queue.DeleteExpiredEventsAsync(
                settings.RetainFinishedEvents, settings.RetainFailedEvents, settings.RetentionBatchSize, cancellationToken);
            deletedFinished += finished;
            deletedFailed += failedEvents;
            if (finished + failedEvents < settings.RetentionBatchSize)
            {
                break;
            }
        }
        logger.LogInformation("Retention deleted {Finished} completed or discarded and {Failed} failed events", deletedFinished, deletedFailed);

        var stale = await vectors.CountVectorsOfOtherModelsAsync(cancellationToken);
        if (stale > 0)
        {
            logger.LogWarning("{Count} vectors of another model than {Model} are left out of semantic search until their accounts are re-indexed",
                stale, vectors.EmbeddingModel);
        }
        return $"timed out {swept.Count - failed}, failed after their last attempt timed out {failed}, "
            + $"deleted {deletedFinished} finished and {deletedFailed} failed events past retention";
    }

    /// <summary>AWAITING_RETRY and retryable TIMEOUT events that are due go back to PENDING.</summary>
    public async Task<string> PromoteRetryableEventsAsync(CancellationToken cancellationToken) =>
        $"promoted {await queue.ProcessRetryableEventsAsync(cancellationToken)}";
}
