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

    /// <summary>An IN_PROGRESS event not updated for this long is presumed lost (its worker crashed).</summary>
    public TimeSpan InProgressTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>First retry delay; each further retry waits <see cref="RetryBackoffFactor"/> times longer, plus jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    public double RetryBackoffFactor { get; set; } = 4;

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(6);
}
