using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace LikenessFunctions.Health;

/// <summary>
/// <c>SELECT 1</c> through the app's pool. When that times out, a TCP connect to the server tells
/// "busy" (the server takes connections, the pool or the server is saturated) from "unreachable".
/// </summary>
internal sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public const string Name = "database";

    /// <summary>The registration's timeout: the query's share, with the reachability probe after it.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public const string Busy = "busy";

    public const string Unreachable = "unreachable";

    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var query = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        query.CancelAfter(QueryTimeout);
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(query.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception error) when (error is OperationCanceledException or TimeoutException || error is NpgsqlException { InnerException: TimeoutException })
        {
            return await AcceptsConnectionsAsync(cancellationToken)
                ? HealthCheckResult.Degraded(Busy, error)
                : HealthCheckResult.Unhealthy(Unreachable, error);
        }
        catch (NpgsqlException error)
        {
            return HealthCheckResult.Unhealthy(Unreachable, error);
        }
    }

    private async Task<bool> AcceptsConnectionsAsync(CancellationToken cancellationToken)
    {
        var settings = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        var host = settings.Host?.Split(',')[0];
        if (string.IsNullOrEmpty(host) || host.StartsWith('/'))
        {
            return false;
        }
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(host, settings.Port, cancellationToken);
            return true;
        }
        catch (Exception error) when (error is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
