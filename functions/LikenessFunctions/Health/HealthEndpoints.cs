using LikenessFunctions.Functions;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LikenessFunctions.Health;

public static class HealthEndpoints
{
    public static IServiceCollection AddLikenessHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>(DatabaseHealthCheck.Name, timeout: TimeSpan.FromSeconds(5));
        return services;
    }

    /// <summary><c>GET /api/health</c>: 200 when every dependency answers, 503 otherwise.</summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(FunctionCatalog.Health.ApiPath(), new HealthCheckOptions { ResponseWriter = WriteAsync })
            .WithName(FunctionCatalog.Health.Name);
        return endpoints;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(new
        {
            status = report.Status == HealthStatus.Healthy ? "ok" : "unavailable",
            database = report.Entries.TryGetValue(DatabaseHealthCheck.Name, out var database) && database.Status == HealthStatus.Healthy
                ? "ok"
                : "unreachable",
            durationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
        });
}
