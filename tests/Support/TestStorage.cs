using Azure.Storage.Blobs;

namespace Likeness.Testing;

/// <summary>
/// The local Azurite (<c>infra/local/dev.sh up</c>), or the account of
/// <c>MediaStorage__ConnectionString</c> when set. Tests share the account and own their containers.
/// </summary>
public static class TestStorage
{
    public static string ConnectionString { get; } =
        Environment.GetEnvironmentVariable("MediaStorage__ConnectionString") is { Length: > 0 } value ? value : "UseDevelopmentStorage=true";

    public static BlobServiceClient Service { get; } = new(ConnectionString);

    /// <summary>A container that does not exist yet, named so that no other test uses it.</summary>
    public static BlobContainerClient NewContainer() => Service.GetBlobContainerClient("test-" + Guid.NewGuid().ToString("N"));
}
