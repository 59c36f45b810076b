using Likeness.Shared.Data;

namespace Likeness.Shared.Indexing;

/// <summary>
/// Re-indexes the account of a claimed (IN_PROGRESS) event. The implementation completes the
/// event in the same transaction as its final write, and only while the event is still
/// IN_PROGRESS, so a run that outlived its timeout cannot overwrite a newer run's result.
/// </summary>
public interface IAccountIndexer
{
    Task<IndexOutcome> IndexAccountAsync(QueueEvent queueEvent, CancellationToken cancellationToken);
}

/// <param name="Completed">False when the event was no longer IN_PROGRESS, so nothing was written.</param>
/// <param name="Summary">What happened, for the logs.</param>
public sealed record IndexOutcome(bool Completed, string Summary);
