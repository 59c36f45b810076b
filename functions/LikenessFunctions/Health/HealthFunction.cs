using System.Globalization;
using LikenessFunctions.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LikenessFunctions.Health;

[Tags("Health")]
public sealed class HealthFunction(HealthCheckService health)
{
    /// <summary>
    /// <c>GET /api/health</c>: 200 when every dependency answers; 503 otherwise, with the database
    /// <c>busy</c> (it takes connections but does not answer in time; Retry-After) or <c>unreachable</c>.
    /// </summary>
    [Function(nameof(Health))]
    [EndpointSummary("Whether the app and its database answer")]
    [ProducesResponseType<HealthReportBody>(StatusCodes.Status200OK)]
    [ProducesResponseType<HealthReportBody>(StatusCodes.Status503ServiceUnavailable)]
    public async Task<JsonHttpResult<HealthReportBody>> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Health)] HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var report = await health.CheckHealthAsync(cancellationToken);
        var database = report.Entries.TryGetValue(DatabaseHealthCheck.Name, out var entry)
            ? entry.Status switch
            {
                HealthStatus.Healthy => "ok",
                HealthStatus.Degraded => DatabaseHealthCheck.Busy,
                _ => DatabaseHealthCheck.Unreachable,
            }
            : DatabaseHealthCheck.Unreachable;
        var healthy = report.Status == HealthStatus.Healthy;
        if (database == DatabaseHealthCheck.Busy)
        {
            request.HttpContext.Response.Headers.RetryAfter = HttpFailureMiddleware.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }
        return TypedResults.Json(
            new HealthReportBody(healthy ? "ok" : database == DatabaseHealthCheck.Busy ? DatabaseHealthCheck.Busy : "unavailable", database,
                Math.Round(report.TotalDuration.TotalMilliseconds, 1)),
            statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}

public sealed record HealthReportBody(string Status, string Database, double DurationMs);
