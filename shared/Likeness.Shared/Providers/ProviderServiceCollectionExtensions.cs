using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using Azure.Core;
using Azure.Identity;
using Likeness.Shared.Search.Briefs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Likeness.Shared.Providers;

public static class ProviderServiceCollectionExtensions
{
    /// <summary>
    /// Tag extraction, embedding and voice cloning, each real when configured: Azure OpenAI
    /// when <c>AI:Endpoint</c> is set (otherwise no tags and the offline embedder; with
    /// <c>Search:Briefs:UseAzureOpenAI</c> also the brief reader), ElevenLabs
    /// when <c>ElevenLabs:ApiKey</c> is set (otherwise no cloning). The choice is made once, at
    /// start-up, so a missing setting shows in the registrations rather than on the first call.
    /// </summary>
    public static IServiceCollection AddLikenessProviders(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<AiOptions>().BindConfiguration(AiOptions.SectionName);
        services.AddOptions<ElevenLabsOptions>().BindConfiguration(ElevenLabsOptions.SectionName);
        services.AddOptions<BriefOptions>().BindConfiguration(BriefOptions.SectionName)
            .Validate(o => o.Timeout > TimeSpan.Zero, $"{BriefOptions.SectionName}:{nameof(BriefOptions.Timeout)} must be positive.")
            .ValidateOnStart();

        var ai = configuration.GetSection(AiOptions.SectionName).Get<AiOptions>() ?? new AiOptions();
        if (ai.Endpoint is not null)
        {
            services.AddSingleton(provider => CreateOpenAiClient(provider.GetRequiredService<IOptions<AiOptions>>().Value));
            services.AddSingleton<ITagExtractor, OpenAiTagExtractor>();
            services.AddSingleton<IEmbedder, OpenAiEmbedder>();
            if (configuration.GetSection(BriefOptions.SectionName).Get<BriefOptions>() is { UseAzureOpenAI: true })
            {
                // Falls back to the local parser, which AddLikenessSearch registers.
                services.AddSingleton<IBriefInterpreter, OpenAiBriefInterpreter>();
            }
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
    /// One client for every deployment: the resource endpoint, the API key or Entra ID token, a
    /// per-attempt network timeout and the number of retries (which honour <c>Retry-After</c>).
    /// </summary>
    internal static AzureOpenAIClient CreateOpenAiClient(AiOptions options)
    {
        var endpoint = options.Endpoint
            ?? throw new InvalidOperationException($"Set {AiOptions.SectionName}__Endpoint to the Azure OpenAI resource endpoint.");
        // The client appends /openai/deployments/{deployment}/... itself; the v1 URL this setting
        // used to hold would double that path and answer 404 on every call.
        var path = endpoint.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/openai", StringComparison.OrdinalIgnoreCase) || path.EndsWith("/openai/v1", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"{AiOptions.SectionName}__Endpoint is the resource endpoint, e.g. https://NAME.openai.azure.com/, not {endpoint}.");
        }
        var clientOptions = new AzureOpenAIClientOptions
        {
            NetworkTimeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
            RetryPolicy = new ClientRetryPolicy(options.MaxRetries),
        };
        return string.IsNullOrWhiteSpace(options.ApiKey)
            ? new AzureOpenAIClient(endpoint, EntraCredential(options), clientOptions)
            : new AzureOpenAIClient(endpoint, new ApiKeyCredential(options.ApiKey), clientOptions);
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
