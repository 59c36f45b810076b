namespace Likeness.Shared.Indexing;

/// <summary>Exponential backoff with jitter in its upper half, so events that failed together spread out.</summary>
public static class RetryBackoff
{
    /// <param name="attempt">1 for the first retry.</param>
    /// <param name="retryAfter">A provider's own Retry-After, honoured as a lower bound.</param>
    public static TimeSpan Delay(IndexingOptions options, int attempt, TimeSpan? retryAfter = null, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var exponential = options.RetryBaseDelay.TotalSeconds * Math.Pow(options.RetryBackoffFactor, attempt - 1);
        var capped = Math.Min(exponential, options.MaxRetryDelay.TotalSeconds);
        var jittered = capped * (0.5 + (random ?? Random.Shared).NextDouble() * 0.5);
        return TimeSpan.FromSeconds(Math.Max(jittered, retryAfter?.TotalSeconds ?? 0));
    }
}
