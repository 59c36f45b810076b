using Likeness.Shared.Data;
using LikenessFunctions.Health;
using LikenessFunctions.Media;

namespace LikenessFunctions.Hosting;

public static class HostingServiceCollectionExtensions
{
    /// <summary>Set by the platform when the app has an Application Insights resource.</summary>
    public const string ApplicationInsightsSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    private const string ApplicationInsightsLoggerProvider = "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider";

    /// <summary>
    /// Worker telemetry as the worker documents it, only where a resource receives it: locally
    /// and in tests the SDK would otherwise buffer telemetry for nobody.
    /// </summary>
    public static IServiceCollection AddLikenessTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(configuration[ApplicationInsightsSetting]))
        {
            services.AddApplicationInsightsTelemetryWorkerService().ConfigureFunctionsApplicationInsights();
            // The SDK's own rule keeps only warnings; host.json's levels are the ones meant to apply.
            services.Configure<LoggerFilterOptions>(options =>
            {
                if (options.Rules.FirstOrDefault(rule => rule.ProviderName == ApplicationInsightsLoggerProvider) is { } warningsOnly)
                {
                    options.Rules.Remove(warningsOnly);
                }
            });
        }
        return services;
    }

    /// <summary>
    /// JSON in the API's shape (camelCase, enums as their database labels), ProblemDetails for
    /// errors, and the media proxy's options (checked at start-up).
    /// </summary>
    public static IServiceCollection AddLikenessHttp(this IServiceCollection services)
    {
        services.AddOptions<MediaProxyOptions>().BindConfiguration(MediaProxyOptions.SectionName)
            .Validate(options => options.MaxAgeSeconds >= 0, $"{MediaProxyOptions.SectionName}:{nameof(MediaProxyOptions.MaxAgeSeconds)} must be 0 or more.")
            .ValidateOnStart();
        return services
            .ConfigureHttpJsonOptions(options => LikenessJson.Configure(options.SerializerOptions))
            .AddProblemDetails();
    }

    public static IServiceCollection AddLikenessHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>(DatabaseHealthCheck.Name, timeout: DatabaseHealthCheck.Timeout);
        return services;
    }
}
