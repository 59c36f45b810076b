using Likeness.Shared.Data;
using Likeness.Shared.Providers;
using Likeness.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Likeness.Shared.Tests.Providers;

[TestClass]
public sealed class ProviderServiceCollectionExtensionsTests
{
    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Token => TestContext.CancellationToken;

    [TestMethod]
    public async Task WithNothingConfiguredTheOfflineEmbedderAndUnconfiguredProvidersAreRegistered()
    {
        await using var services = Build([]);

        Assert.IsInstanceOfType<OfflineEmbedder>(services.GetRequiredService<IEmbedder>());
        var tagExtractor = services.GetRequiredService<ITagExtractor>();
        Assert.IsInstanceOfType<NoTagExtractor>(tagExtractor);
        Assert.IsFalse(tagExtractor.IsConfigured);
        var voiceCloner = services.GetRequiredService<IVoiceCloner>();
        Assert.IsInstanceOfType<NoVoiceCloner>(voiceCloner);
        Assert.IsFalse(voiceCloner.IsConfigured);
    }

    [TestMethod]
    public async Task UnconfiguredProvidersRefuseToBeCalled()
    {
        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => new NoTagExtractor().ExtractFromDescriptionAsync("Actor.", Token));
        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => new NoVoiceCloner().RenderSampleAsync("voice", "Hello.", Token));
    }

    [TestMethod]
    public async Task WithAnEndpointAndKeyTheAzureOpenAiProvidersCallThatResourcesDeployments()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        await using var services = Build(new()
        {
            ["AI:Endpoint"] = server.Endpoint.ToString(),
            ["AI:ApiKey"] = "configured-key",
            ["AI:EmbeddingModel"] = "configured-embedding",
        });

        var embedder = services.GetRequiredService<IEmbedder>();
        Assert.IsInstanceOfType<OpenAiEmbedder>(embedder);
        Assert.IsInstanceOfType<OpenAiTagExtractor>(services.GetRequiredService<ITagExtractor>());
        var vector = await embedder.EmbedAsync("female blonde actor", Token);

        Assert.AreEqual(Embedding.Dimensions, vector.Memory.Length);
        var request = server.EmbeddingRequests.Single();
        Assert.AreEqual("configured-key", request.Header("api-key"));
        Assert.AreEqual("/openai/deployments/configured-embedding/embeddings", request.Path);
    }

    [TestMethod]
    public async Task WithAnEndpointButNoKeyTheAzureOpenAiProvidersUseEntraId()
    {
        await using var services = Build(new()
        {
            ["AI:Endpoint"] = "https://example.openai.azure.com/",
            ["AI:UseManagedIdentity"] = "true",
            ["AI:ManagedIdentityClientId"] = "00000000-0000-0000-0000-000000000001",
        });

        Assert.IsInstanceOfType<OpenAiTagExtractor>(services.GetRequiredService<ITagExtractor>());
        Assert.IsInstanceOfType<OpenAiEmbedder>(services.GetRequiredService<IEmbedder>());
    }

    [TestMethod]
    [DataRow("https://example.openai.azure.com/openai/v1/")]
    [DataRow("https://example.openai.azure.com/openai")]
    public async Task AnEndpointWithTheDeploymentsPathPrefixIsRejectedAskingForTheResourceEndpoint(string endpoint)
    {
        await using var services = Build(new() { ["AI:Endpoint"] = endpoint, ["AI:ApiKey"] = "configured-key" });

        var error = Assert.ThrowsExactly<InvalidOperationException>(() => services.GetRequiredService<IEmbedder>());

        StringAssert.Contains(error.Message, "https://NAME.openai.azure.com/");
    }

    [TestMethod]
    public async Task WithAnElevenLabsKeyTheElevenLabsClonerIsRegistered()
    {
        await using var server = await FakeElevenLabsServer.StartAsync();
        await using var services = Build(new()
        {
            ["ElevenLabs:Endpoint"] = server.BaseAddress.ToString(),
            ["ElevenLabs:ApiKey"] = server.ApiKey,
        });

        var cloner = services.GetRequiredService<IVoiceCloner>();
        Assert.IsInstanceOfType<ElevenLabsVoiceCloner>(cloner);
        var voiceId = await cloner.CreateVoiceAsync("Ada", BinaryData.FromBytes([1, 2, 3]), "audio/mpeg", Token);

        Assert.IsTrue(server.Voices.ContainsKey(voiceId));
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddLikenessProviders(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
