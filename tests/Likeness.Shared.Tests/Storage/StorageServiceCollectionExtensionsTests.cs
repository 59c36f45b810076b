using Azure.Storage.Blobs;
using Likeness.Shared.Storage;
using Likeness.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Likeness.Shared.Tests.Storage;

[TestClass]
public sealed class StorageServiceCollectionExtensionsTests
{
    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Token => TestContext.CancellationToken;

    [TestMethod]
    public async Task ConnectionStringGivesClientsOfThatAccountAndTheConfiguredContainer()
    {
        var name = TestStorage.NewContainer().Name;
        await using var services = Build(new() { ["MediaStorage:ConnectionString"] = TestStorage.ConnectionString, ["MediaStorage:Container"] = name });
        var container = services.GetRequiredService<BlobContainerClient>();

        try
        {
            Assert.IsTrue((await container.CreateIfNotExistsAsync(cancellationToken: Token)).HasValue, "Azurite answers with the configured credentials");
            Assert.AreEqual(name, container.Name);
            Assert.AreEqual(services.GetRequiredService<BlobServiceClient>().AccountName, container.AccountName);
        }
        finally
        {
            await container.DeleteIfExistsAsync(cancellationToken: Token);
        }
    }

    [TestMethod]
    public async Task ServiceUriGivesClientsOfThatEndpointAndTheMediaContainerByDefault()
    {
        await using var services = Build(new()
        {
            ["MediaStorage:ServiceUri"] = "https://likenessmedia.blob.core.windows.net",
            ["MediaStorage:ClientId"] = "00000000-0000-0000-0000-000000000001",
        });

        var container = services.GetRequiredService<BlobContainerClient>();

        Assert.AreEqual(new Uri("https://likenessmedia.blob.core.windows.net/media"), container.Uri);
        Assert.AreEqual("likenessmedia", services.GetRequiredService<BlobServiceClient>().AccountName);
    }

    [TestMethod]
    public async Task ConnectionStringWinsOverServiceUri()
    {
        await using var services = Build(new()
        {
            ["MediaStorage:ConnectionString"] = TestStorage.ConnectionString,
            ["MediaStorage:ServiceUri"] = "https://likenessmedia.blob.core.windows.net",
        });

        Assert.AreEqual(TestStorage.Service.Uri, services.GetRequiredService<BlobServiceClient>().Uri);
    }

    [TestMethod]
    public async Task WithoutSettingsTheAppStartsButTheFirstUseSaysWhatToSet()
    {
        await using var services = Build([]);

        foreach (var resolve in new Func<object>[] { services.GetRequiredService<BlobServiceClient>, services.GetRequiredService<BlobContainerClient> })
        {
            var error = Assert.ThrowsExactly<InvalidOperationException>(() => resolve());
            StringAssert.Contains(error.Message, "MediaStorage__ConnectionString");
            StringAssert.Contains(error.Message, "MediaStorage__ServiceUri");
        }
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddBlobStorage(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
