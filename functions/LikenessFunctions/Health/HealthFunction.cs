using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LikenessFunctions.Health;

public sealed class HealthFunction(HealthCheckService health)
{
    /// <summary><c>GET /api/health</c>: 200 when every dependency answers, 503 otherwise.</summary>
    [Function(nameof(Health))]
    [ProducesResponseType<HealthReportBody>(StatusCodes.Status200OK)]
    [ProducesResponseType<HealthReportBody>(StatusCodes.Status503ServiceUnavailable)]
    public async Task<JsonHttpResult<HealthReportBody>> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Health)] HttpRequest request, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(cancellationToken);
        var healthy = report.Status == HealthStatus.Healthy;
        var database = report.Entries.TryGetValue(DatabaseHealthCheck.Name, out var entry) && entry.Status == HealthStatus.Healthy;
        return TypedResults.Json(
            new HealthReportBody(healthy ? "ok" : "unavailable", database ? "ok" : "unreachable", Math.Round(report.TotalDuration.TotalMilliseconds, 1)),
            statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}

public sealed record HealthReportBody(string Status, string Database, double DurationMs);
