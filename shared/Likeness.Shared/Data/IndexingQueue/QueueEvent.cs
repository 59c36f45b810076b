using System.Text.Json;

namespace Likeness.Shared.Data;

/// <summary>An event in <c>likeness_need_indexing_queue</c>: something about an account changed and it needs indexing.</summary>
/// <param name="ElementId">Id of the element that triggered the event (an asset, a term, ...), when there is one.</param>
/// <param name="Info">Metadata as a JSON object; failures and discards add <c>error</c> / <c>reason</c> to it.</param>
/// <param name="RetryCount">Retries scheduled after a failed or timed-out attempt, at most <see cref="LikenessNeedIndexingQueueAccess.MaxRetryCount"/>.</param>
/// <param name="RetryAt">When a waiting or timed-out event becomes due again.</param>
/// <remarks>
/// Record equality compares <see cref="Info"/> by document identity, not by content;
/// use <see cref="JsonElement.DeepEquals"/> to compare it.
/// </remarks>
public sealed record QueueEvent(
    string Id,
    string AccountId,
    QueueElementType ElementType,
    string? ElementId,
    QueueStatus Status,
    JsonElement? Info,
    int RetryCount,
    DateTimeOffset? RetryAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>One batch of <see cref="LikenessNeedIndexingQueueAccess.AddReindexEventsAsync"/>.</summary>
/// <param name="Scanned">Accounts that qualified in this batch; fewer than the batch size means the end was reached.</param>
/// <param name="Enqueued">Events added; the others' accounts already had an active event.</param>
/// <param name="LastAccountId">Where the next batch starts; null when nothing qualified.</param>
public sealed record ReindexBatch(int Scanned, int Enqueued, string? LastAccountId);

/// <summary>What <see cref="LikenessNeedIndexingQueueAccess.ClaimPendingEventsAsync"/> claimed.</summary>
/// <param name="Events">The claimed events, IN_PROGRESS, oldest first; never two of one account.</param>
/// <param name="Discarded">The claimed accounts' other PENDING events that were discarded as superseded.</param>
public sealed record ClaimedEvents(IReadOnlyList<QueueEvent> Events, int Discarded);
