namespace Likeness.Shared.Providers;

/// <summary>
/// The Azure OpenAI resource for tag extraction and embeddings. Without an endpoint no tags are
/// extracted and an offline embedder stands in, so a fresh machine still works.
/// </summary>
public sealed class AiOptions
{
    public const string SectionName = "AI";

    /// <summary>The resource endpoint, <c>https://RESOURCE.openai.azure.com/</c>; the client adds the deployment paths.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>Wins over Entra ID when set.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Without an API key: true authenticates as the app's managed identity only; false tries
    /// the developer credentials too (DefaultAzureCredential).
    /// </summary>
    public bool UseManagedIdentity { get; set; }

    /// <summary>The client id of a user-assigned identity; empty means the system-assigned one.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Deployment for images and profile text.</summary>
    public string VisionModel { get; set; } = "gpt-4o-mini";

    /// <summary>Deployment of a model that accepts audio input.</summary>
    public string AudioModel { get; set; } = "gpt-4o-audio-preview";

    /// <summary>Deployment of a model that can produce vectors of <see cref="Data.Embedding.Dimensions"/> dimensions.</summary>
    public string EmbeddingModel { get; set; } = "text-embedding-3-small";

    /// <summary>Per HTTP attempt, not per call.</summary>
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>Retries inside one call (429, 5xx, network); the indexer's own retries come on top.</summary>
    public int MaxRetries { get; set; } = 2;
}
