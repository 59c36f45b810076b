using Likeness.Shared.Data;
using LikenessFunctions.Health;

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

    /// <summary>JSON in the API's shape (camelCase, enums as their database labels) and ProblemDetails for errors.</summary>
    public static IServiceCollection AddLikenessHttp(this IServiceCollection services) =>
        services
            .ConfigureHttpJsonOptions(options => LikenessJson.Configure(options.SerializerOptions))
            .AddProblemDetails();

    public static IServiceCollection AddLikenessHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>(DatabaseHealthCheck.Name, timeout: TimeSpan.FromSeconds(5));
        return services;
    }
}
