using System.Text.Json;
using LocalFunctionsHost.Rpc;
using NCrontab;

namespace LocalFunctionsHost;

/// <summary>
/// Fires timer functions on their six-field NCRONTAB schedules (local time, as the host does),
/// one run at a time per timer: a tick that comes while the previous run is still going is skipped.
/// </summary>
internal sealed class TimerScheduler(FunctionInvoker invoker, ILoggerFactory loggerFactory)
{
    // Task.Delay takes at most ~49 days; long waits are taken in steps.
    private static readonly TimeSpan LongestWait = TimeSpan.FromHours(1);

    private readonly ILogger _log = loggerFactory.CreateLogger("timer");

    /// <summary>A timer's schedule with its %Setting% references resolved, or why it has none.</summary>
    public static CrontabSchedule? ResolveSchedule(FunctionInfo timer, AppSettings settings, out string expression, out string? error)
    {
        expression = timer.Schedule ?? "";
        error = null;
        try
        {
            expression = settings.Resolve(expression);
            return CrontabSchedule.Parse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        }
        catch (Exception exception) when (exception is KeyNotFoundException or CrontabException)
        {
            error = exception.Message;
            return null;
        }
    }

    /// <summary>The TimerInfo JSON the host passes as the timer binding's input.</summary>
    public static TypedData Payload(DateTime last, DateTime? next, bool isPastDue = false) => new()
    {
        Json = JsonSerializer.Serialize(new
        {
            Schedule = new { AdjustForDST = true },
            ScheduleStatus = next is null ? null : new { Last = last, Next = next, LastUpdated = DateTime.Now },
            IsPastDue = isPastDue,
        }),
    };

    public Task RunAsync(FunctionRegistry registry, AppSettings settings, CancellationToken cancellationToken)
    {
        var runs = new List<Task>();
        foreach (var timer in registry.Functions.Where(f => f.IsTimer))
        {
            if (ResolveSchedule(timer, settings, out var expression, out var error) is { } schedule)
            {
                _log.LogInformation("{Function}: schedule '{Schedule}', first run at {Next:O}", timer.Name, expression, schedule.GetNextOccurrence(DateTime.Now));
                runs.Add(RunTimerAsync(timer, schedule, cancellationToken));
            }
            else
            {
                _log.LogError("{Function}: not scheduled, its schedule '{Schedule}' is not valid: {Error}", timer.Name, timer.Schedule, error);
            }
        }

        return Task.WhenAll(runs);
    }

    private async Task RunTimerAsync(FunctionInfo timer, CrontabSchedule schedule, CancellationToken cancellationToken)
    {
        Task running = Task.CompletedTask;
        try
        {
            while (true)
            {
                var due = schedule.GetNextOccurrence(DateTime.Now);
                // A timer can wake a little early; waiting again for the rest keeps a tick from firing twice.
                for (var left = due - DateTime.Now; left > TimeSpan.Zero; left = due - DateTime.Now)
                {
                    await Task.Delay(left < LongestWait ? left : LongestWait, cancellationToken);
                }

                if (!running.IsCompleted)
                {
                    _log.LogWarning("{Function}: the previous run is still going; skipping the {Due:O} run", timer.Name, due);
                    continue;
                }

                running = RunOnceAsync(timer, due, schedule.GetNextOccurrence(due), cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Host shutting down.
        }
    }

    private async Task RunOnceAsync(FunctionInfo timer, DateTime due, DateTime next, CancellationToken cancellationToken)
    {
        try
        {
            await invoker.InvokeAsync(timer, Payload(due, next), "Timer fired at " + due.ToString("O"), cancellationToken);
        }
        catch (Exception exception) when (exception is WorkerUnavailableException or OperationCanceledException)
        {
            _log.LogDebug("{Function}: run at {Due:O} not completed: {Reason}", timer.Name, due, exception.Message);
        }
    }
}
