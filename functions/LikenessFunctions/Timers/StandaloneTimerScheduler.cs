using LikenessFunctions.Functions;
using NCrontab;
using Npgsql;

namespace LikenessFunctions.Timers;

/// <summary>
/// Runs the timer functions on their schedules when no Functions host does (local runs). A
/// PostgreSQL advisory lock per timer keeps each a singleton across app instances, as the host's
/// storage lease does in Azure.
/// </summary>
internal sealed class StandaloneTimerScheduler(
    IServiceProvider services,
    IConfiguration configuration,
    NpgsqlDataSource dataSource,
    TimeProvider time,
    ILogger<StandaloneTimerScheduler> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(FunctionCatalog.Timers.Select(timer => RunOnScheduleAsync(timer, stoppingToken)));

    private async Task RunOnScheduleAsync(FunctionDefinition timer, CancellationToken stoppingToken)
    {
        var schedule = CrontabSchedule.Parse(timer.ScheduleIn(configuration), new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow().UtcDateTime;
            await Task.Delay(schedule.GetNextOccurrence(now) - now, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            try
            {
                await RunAsSingletonAsync(timer, stoppingToken);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogError(error, "Timer {Function} failed", timer.Name);
            }
        }
    }

    private async Task RunAsSingletonAsync(FunctionDefinition timer, CancellationToken stoppingToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
        if (!await AdvisoryLockAsync(connection, "SELECT pg_try_advisory_lock(hashtext($1))", timer, stoppingToken))
        {
            logger.LogDebug("Timer {Function} is running on another instance", timer.Name);
            return;
        }
        try
        {
            var summary = await timer.Job!(services, stoppingToken);
            logger.LogInformation("Timer {Function}: {Summary}", timer.Name, summary);
        }
        finally
        {
            // Explicit: a pooled connection keeps its session (and the lock) after it is closed.
            // A crash ends the session and so releases the lock too.
            await AdvisoryLockAsync(connection, "SELECT pg_advisory_unlock(hashtext($1))", timer, CancellationToken.None);
        }
    }

    private static async Task<bool> AdvisoryLockAsync(NpgsqlConnection connection, string sql, FunctionDefinition timer, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new() { Value = "timer:" + timer.Name });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}

internal static class StandaloneTimerSchedulerExtensions
{
    /// <summary>Only without a Functions host; under one, the host triggers the timers.</summary>
    public static IServiceCollection AddStandaloneTimers(this IServiceCollection services, IConfiguration configuration)
    {
        if (!Hosting.HostingExtensions.IsUnderFunctionsHost(configuration) && configuration.GetValue("Timers:RunStandalone", true))
        {
            services.AddHostedService<StandaloneTimerScheduler>();
        }
        return services;
    }
}
