namespace Likeness.Shared.Search.ReadModel;

/// <summary>Settings of <see cref="SearchReadModel"/>, section <c>SearchReadModel</c>.</summary>
public sealed class SearchReadModelOptions
{
    public const string SectionName = "SearchReadModel";

    /// <summary>Off: every exact search and facet count goes to PostgreSQL.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How long changes are collected after the first notification before they are applied, so
    /// that a burst of writes costs one rebuild.
    /// </summary>
    public TimeSpan Debounce { get; set; } = TimeSpan.FromMilliseconds(150);

    /// <summary>How often the whole table is reloaded even without notifications, so that a missed one cannot leave the model stale for longer.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long to wait before connecting again after the listening connection failed (the SQL path answers meanwhile).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <returns>Why the options are unusable, or null when they are fine.</returns>
    internal string? Problem() =>
        Debounce < TimeSpan.Zero || Debounce > TimeSpan.FromSeconds(10) ? $"{SectionName}:{nameof(Debounce)} must be 0 to 10 seconds."
        : ReconcileInterval < TimeSpan.FromSeconds(1) ? $"{SectionName}:{nameof(ReconcileInterval)} must be at least a second."
        : RetryDelay <= TimeSpan.Zero ? $"{SectionName}:{nameof(RetryDelay)} must be positive."
        : null;
}
