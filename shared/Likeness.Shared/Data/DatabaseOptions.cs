namespace Likeness.Shared.Data;

public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>Apply pending migrations when the app starts (the <c>migrate</c> command always does).</summary>
    public bool MigrateOnStartup { get; set; } = true;
}
