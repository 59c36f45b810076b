using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenAI;

namespace Likeness.Shared.Providers;

public static class ProviderServiceCollectionExtensions
{
    /// <summary>The Entra ID scope of Azure OpenAI (Cognitive Services).</summary>
    public const string AzureOpenAiScope = "https://cognitiveservices.azure.com/.default";

    /// <summary>
    /// Tag extraction, embedding and voice cloning, each real when configured: OpenAI-backed
    /// when <c>AI:Endpoint</c> is set (otherwise no tags and the offline embedder), ElevenLabs
    /// when <c>ElevenLabs:ApiKey</c> is set (otherwise no cloning). The choice is made once, at
    /// start-up, so a missing setting shows in the registrations rather than on the first call.
    /// </summary>
    public static IServiceCollection AddLikenessProviders(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<AiOptions>().BindConfiguration(AiOptions.SectionName);
        services.AddOptions<ElevenLabsOptions>().BindConfiguration(ElevenLabsOptions.SectionName);

        var ai = configuration.GetSection(AiOptions.SectionName).Get<AiOptions>() ?? new AiOptions();
        if (ai.Endpoint is not null)
        {
            services.AddSingleton(provider => CreateOpenAiClient(provider.GetRequiredService<IOptions<AiOptions>>().Value));
            services.AddSingleton<ITagExtractor, OpenAiTagExtractor>();
            services.AddSingleton<IEmbedder, OpenAiEmbedder>();
        }
        else
        {
            services.AddSingleton<ITagExtractor, NoTagExtractor>();
            services.AddSingleton<IEmbedder, OfflineEmbedder>();
        }

        var elevenLabs = configuration.GetSection(ElevenLabsOptions.SectionName).Get<ElevenLabsOptions>() ?? new ElevenLabsOptions();
        if (!string.IsNullOrWhiteSpace(elevenLabs.ApiKey))
        {
            services.AddHttpClient<IVoiceCloner, ElevenLabsVoiceCloner>();
        }
        else
        {
            services.AddSingleton<IVoiceCloner, NoVoiceCloner>();
        }
        return services;
    }

    /// <summary>
    /// One client for every model: the endpoint, the API key or Entra ID token, a per-attempt
    /// network timeout and the number of retries (which honour <c>Retry-After</c>).
    /// </summary>
    internal static OpenAIClient CreateOpenAiClient(AiOptions options)
    {
        var endpoint = options.Endpoint
            ?? throw new InvalidOperationException($"Set {AiOptions.SectionName}__Endpoint to the OpenAI-compatible endpoint.");
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = endpoint,
            NetworkTimeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
            RetryPolicy = new ClientRetryPolicy(options.MaxRetries),
        };
        if (!string.IsNullOrWhiteSpace(options.ApiKey))
        {
            return new OpenAIClient(new ApiKeyCredential(options.ApiKey), clientOptions);
        }
        // Token authentication is marked experimental in OpenAI 2.15; the version is pinned, so a
        // change would show when it is upgraded.
#pragma warning disable OPENAI001
        return new OpenAIClient(new BearerTokenPolicy(EntraCredential(options), AzureOpenAiScope), clientOptions);
#pragma warning restore OPENAI001
    }

    private static TokenCredential EntraCredential(AiOptions options)
    {
        var clientId = string.IsNullOrWhiteSpace(options.ManagedIdentityClientId) ? null : options.ManagedIdentityClientId;
        if (options.UseManagedIdentity)
        {
            return new ManagedIdentityCredential(clientId is null
                ? ManagedIdentityId.SystemAssigned
                : ManagedIdentityId.FromUserAssignedClientId(clientId));
        }
        return new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
    }
}
