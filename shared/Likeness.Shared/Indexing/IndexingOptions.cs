namespace Likeness.Shared.Indexing;

public sealed class IndexingOptions
{
    public const string SectionName = "Indexing";

    /// <summary>Most events one ProcessIndexingQueue run takes.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>Events processed at the same time within one run.</summary>
    public int MaxParallelism { get; set; } = 4;

    /// <summary>No new event is claimed after this long, so a run ends well before the next one is due.</summary>
    public TimeSpan TimeBudget { get; set; } = TimeSpan.FromMinutes(4);

    /// <summary>An IN_PROGRESS event whose heartbeat is older than this is presumed lost (its worker crashed).</summary>
    public TimeSpan InProgressTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How often a running event's heartbeat is refreshed; well under <see cref="InProgressTimeout"/>,
    /// so that a slow but healthy run (a long AI call) is never swept.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>First retry delay; each further retry waits <see cref="RetryBackoffFactor"/> times longer, plus jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    public double RetryBackoffFactor { get; set; } = 4;

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(6);

    /// <summary>COMPLETED and DISCARDED events are deleted by the sweep this long after they finished.</summary>
    public TimeSpan RetainFinishedEvents { get; set; } = TimeSpan.FromDays(30);

    /// <summary>FAILED events are kept longer, for investigation, then deleted by the sweep.</summary>
    public TimeSpan RetainFailedEvents { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Events one retention statement deletes at most.</summary>
    public int RetentionBatchSize { get; set; } = 1000;

    /// <summary>Retention batches one sweep runs at most, so a large backlog is worked off over several sweeps.</summary>
    public int RetentionMaxBatches { get; set; } = 20;
}
