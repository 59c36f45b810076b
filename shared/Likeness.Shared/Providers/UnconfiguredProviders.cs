using Likeness.Shared.Data;

namespace Likeness.Shared.Providers;

/// <summary>Stands in when no AI endpoint is configured; callers check <see cref="IsConfigured"/> first.</summary>
public sealed class NoTagExtractor : ITagExtractor
{
    public bool IsConfigured => false;

    public Task<SearchAttributes> ExtractFromImageAsync(BinaryData image, string contentType, CancellationToken cancellationToken) =>
        throw NotConfigured();

    public Task<SearchAttributes> ExtractFromVoiceAsync(BinaryData audio, string contentType, CancellationToken cancellationToken) =>
        throw NotConfigured();

    public Task<SearchAttributes> ExtractFromDescriptionAsync(string description, CancellationToken cancellationToken) =>
        throw NotConfigured();

    private static InvalidOperationException NotConfigured() =>
        new($"No AI endpoint is configured: set {AiOptions.SectionName}__Endpoint to extract tags.");
}

/// <summary>Stands in when no voice provider is configured; callers check <see cref="IsConfigured"/> first.</summary>
public sealed class NoVoiceCloner : IVoiceCloner
{
    public bool IsConfigured => false;

    /// <summary>Empty: there is no model to render with.</summary>
    public string ModelId => "";

    public Task<string> CreateVoiceAsync(string name, BinaryData sample, string contentType, CancellationToken cancellationToken) =>
        throw NotConfigured();

    public Task<BinaryData> RenderSampleAsync(string voiceId, string text, CancellationToken cancellationToken) =>
        throw NotConfigured();

    private static InvalidOperationException NotConfigured() =>
        new($"No voice provider is configured: set {ElevenLabsOptions.SectionName}__ApiKey to clone voices.");
}
