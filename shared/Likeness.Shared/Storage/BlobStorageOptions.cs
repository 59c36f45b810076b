namespace Likeness.Shared.Storage;

/// <summary>
/// Where media blobs live. Locally a connection string (<c>UseDevelopmentStorage=true</c> for
/// Azurite); in Azure the account's blob endpoint and a managed identity, because the
/// account disables Shared Key access. A connection string wins when both are set.
/// </summary>
public sealed class BlobStorageOptions
{
    public const string SectionName = "MediaStorage";

    /// <summary>A storage connection string, or <c>UseDevelopmentStorage=true</c> for Azurite.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The blob endpoint, e.g. <c>https://account.blob.core.windows.net</c>, reached with an Entra token.</summary>
    public Uri? ServiceUri { get; set; }

    /// <summary>The client id of a user-assigned managed identity; without it <c>DefaultAzureCredential</c> picks the identity.</summary>
    public string? ClientId { get; set; }

    public string Container { get; set; } = "media";
}
