using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Likeness.Shared.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="BlobStorageOptions"/> from <c>MediaStorage</c> and registers one
    /// <see cref="BlobServiceClient"/> and the <see cref="BlobContainerClient"/> of the media
    /// container. Both are built on first use, so an app that never touches blobs (e.g. the
    /// <c>migrate</c> command) needs no storage settings.
    /// </summary>
    public static IServiceCollection AddBlobStorage(this IServiceCollection services, IConfiguration configuration)
    {
        // Bound from the configuration passed in rather than resolved from the container, so a
        // host (or test) that never registered IConfiguration works the same way.
        services.AddOptions<BlobStorageOptions>().Bind(configuration.GetSection(BlobStorageOptions.SectionName));
        services.AddSingleton(provider => CreateServiceClient(provider.GetRequiredService<IOptions<BlobStorageOptions>>().Value));
        services.AddSingleton(provider => provider.GetRequiredService<BlobServiceClient>()
            .GetBlobContainerClient(provider.GetRequiredService<IOptions<BlobStorageOptions>>().Value.Container));
        return services;
    }

    private static BlobServiceClient CreateServiceClient(BlobStorageOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return new BlobServiceClient(options.ConnectionString);
        }
        if (options.ServiceUri is { } serviceUri)
        {
            TokenCredential credential = string.IsNullOrWhiteSpace(options.ClientId)
                ? new DefaultAzureCredential()
                : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.ClientId));
            return new BlobServiceClient(serviceUri, credential);
        }
        const string section = BlobStorageOptions.SectionName;
        throw new InvalidOperationException(
            $"Blob storage is not configured: set {section}__ConnectionString (a connection string, or UseDevelopmentStorage=true for Azurite) "
            + $"or {section}__ServiceUri (the account's blob endpoint, reached with a managed identity; {section}__ClientId names a user-assigned one).");
    }
}
