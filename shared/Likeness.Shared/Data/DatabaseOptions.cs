namespace Likeness.Shared.Data;

public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>Apply pending migrations when the app starts (the <c>migrate</c> command always does).</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>Send a Microsoft Entra access token as the password (Azure Database for PostgreSQL).</summary>
    public bool UseEntraAuthentication { get; set; }

    /// <summary>With <see cref="UseEntraAuthentication"/>: the user-assigned identity's client id; empty uses DefaultAzureCredential.</summary>
    public string? ManagedIdentityClientId { get; set; }
}
