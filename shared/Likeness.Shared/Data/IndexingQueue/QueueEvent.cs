using System.Text.Json;

namespace Likeness.Shared.Data;

/// <summary>An event in <c>likeness_need_indexing_queue</c>: something about an account changed and it needs indexing.</summary>
/// <param name="ElementId">Id of the element that triggered the event (an asset, a term, ...), when there is one.</param>
/// <param name="Info">Metadata as a JSON object; failures and discards add <c>error</c> / <c>reason</c> to it.</param>
/// <param name="RetryCount">Failed or timed-out attempts that were scheduled for a retry.</param>
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
