using Likeness.Shared.Data;
using Likeness.Shared.Providers;
using Likeness.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pgvector;

namespace Likeness.Shared.Tests.Providers;

[TestClass]
public sealed class OpenAiEmbedderTests
{
    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Token => TestContext.CancellationToken;

    [TestMethod]
    public async Task EmbeddingAsksTheConfiguredDeploymentForTheColumnsDimensionsWithTheApiKey()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        var embedder = Embedder(server, new AiOptions { EmbeddingModel = "embedding-deployment" });

        var vector = await embedder.EmbedAsync("female blonde actor", Token);

        Assert.AreEqual(new Vector(FakeOpenAiServer.VectorFor("female blonde actor", Embedding.Dimensions)), vector);
        Assert.AreEqual("embedding-deployment", embedder.Model);
        var request = server.EmbeddingRequests.Single();
        Assert.AreEqual("/openai/deployments/embedding-deployment/embeddings", request.Path);
        Assert.AreEqual(Embedding.Dimensions, request.Json["dimensions"]!.GetValue<int>());
        Assert.AreEqual("test-key", request.Header("api-key"));
    }

    [TestMethod]
    public async Task EmbeddingOfTheWrongLengthIsAProviderException()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.EmbeddingLength = 3072;

        var error = await Assert.ThrowsExactlyAsync<ProviderException>(() => Embedder(server).EmbedAsync("female blonde actor", Token));

        StringAssert.Contains(error.Message, "3072");
    }

    [TestMethod]
    public async Task RateLimitIsAProviderExceptionWithRetryAfter()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.FailNext(1, FakeFailure.TooManyRequests);

        var error = await Assert.ThrowsExactlyAsync<ProviderException>(() => Embedder(server).EmbedAsync("female blonde actor", Token));

        Assert.AreEqual(429, error.StatusCode);
        Assert.AreEqual(TimeSpan.FromSeconds(2), error.RetryAfter);
    }

    [TestMethod]
    public async Task HtmlPageInsteadOfAnEmbeddingIsAProviderException()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.FailNext(1, FakeFailure.Html);

        await Assert.ThrowsExactlyAsync<ProviderException>(() => Embedder(server).EmbedAsync("female blonde actor", Token));
    }

    [TestMethod]
    public async Task AnswerSlowerThanTheTimeoutIsAProviderException()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.FailNext(1, FakeFailure.Hang);

        await Assert.ThrowsExactlyAsync<ProviderException>(
            () => Embedder(server, new AiOptions { TimeoutSeconds = 1, MaxRetries = 0 }).EmbedAsync("female blonde actor", Token));
    }

    [TestMethod]
    public async Task EmptyTextIsRejectedBeforeAnyCall()
    {
        await using var server = await FakeOpenAiServer.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => Embedder(server).EmbedAsync(" ", Token));

        Assert.IsEmpty(server.Requests);
    }

    private static OpenAiEmbedder Embedder(FakeOpenAiServer server, AiOptions? settings = null)
    {
        var options = settings ?? new AiOptions { MaxRetries = 0, TimeoutSeconds = 10 };
        options.Endpoint = server.Endpoint;
        options.ApiKey = "test-key";
        return new OpenAiEmbedder(
            ProviderServiceCollectionExtensions.CreateOpenAiClient(options), Options.Create(options), NullLogger<OpenAiEmbedder>.Instance);
    }
}
