using System.ClientModel;
using System.Text.Json;
using Azure.AI.OpenAI;
using Likeness.Shared.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenAI.Embeddings;
using Pgvector;

namespace Likeness.Shared.Providers;

/// <summary>Embeds with an Azure OpenAI embedding deployment, shortened to the column's dimensions.</summary>
public sealed class OpenAiEmbedder : IEmbedder
{
    private const string Provider = "Azure OpenAI embeddings";

    private readonly EmbeddingClient client;
    private readonly TimeSpan timeout;
    private readonly ILogger<OpenAiEmbedder> logger;

    public OpenAiEmbedder(AzureOpenAIClient client, IOptions<AiOptions> options, ILogger<OpenAiEmbedder> logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        Model = options.Value.EmbeddingModel;
        this.client = client.GetEmbeddingClient(Model);
        timeout = TimeSpan.FromSeconds(options.Value.TimeoutSeconds);
        this.logger = logger;
    }

    public string Model { get; }

    public async Task<Vector> EmbedAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        OpenAIEmbedding embedding;
        try
        {
            // Fresh options per call: the client writes the input and model into them.
            var options = new EmbeddingGenerationOptions { Dimensions = Embedding.Dimensions };
            embedding = (await client.GenerateEmbeddingAsync(text, options, cancellationToken)).Value;
        }
        catch (ClientResultException error)
        {
            throw ProviderException.FromClientResult(Provider, error);
        }
        catch (JsonException error)
        {
            // A 200 that is not an embedding: a proxy's page, or an endpoint that is not Azure OpenAI.
            throw ProviderException.Malformed(Provider, "the answer is not an embedding", error);
        }
        catch (OperationCanceledException error) when (!cancellationToken.IsCancellationRequested)
        {
            throw ProviderException.TimedOut(Provider, timeout, error);
        }

        var vector = new Vector(embedding.ToFloats());
        // A deployment whose model ignores "dimensions" (text-embedding-ada-002) would otherwise
        // fail later, in SQL, far from the cause.
        try
        {
            Embedding.Validate(vector, nameof(vector));
        }
        catch (ArgumentException error)
        {
            throw ProviderException.Malformed(Provider, $"model {Model}: {error.Message}", error);
        }
        logger.LogDebug("Embedded {Characters} characters with {Model}", text.Length, Model);
        return vector;
    }
}
