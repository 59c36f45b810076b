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
    public async Task WithAnEndpointAndKeyTheOpenAiProvidersCallThatEndpoint()
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

        Assert.HasCount(Embedding.Dimensions, vector);
        var request = server.EmbeddingRequests.Single();
        Assert.AreEqual("Bearer configured-key", request.Header("Authorization"));
        Assert.AreEqual("configured-embedding", request.Json["model"]!.GetValue<string>());
    }

    [TestMethod]
    public async Task WithAnEndpointButNoKeyTheOpenAiProvidersUseEntraId()
    {
        await using var services = Build(new()
        {
            ["AI:Endpoint"] = "https://example.openai.azure.com/openai/v1/",
            ["AI:UseManagedIdentity"] = "true",
            ["AI:ManagedIdentityClientId"] = "00000000-0000-0000-0000-000000000001",
        });

        Assert.IsInstanceOfType<OpenAiTagExtractor>(services.GetRequiredService<ITagExtractor>());
        Assert.IsInstanceOfType<OpenAiEmbedder>(services.GetRequiredService<IEmbedder>());
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
