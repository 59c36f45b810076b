namespace LikenessFunctions.Functions;

public enum FunctionTrigger { Http, Timer }

public enum FunctionAuthLevel { Anonymous, Function }

/// <summary>
/// One Azure Functions function of this app: what the host needs to route to it (and
/// later writes into its function.json), and for timers the job to run.
/// </summary>
public sealed record FunctionDefinition
{
    public required string Name { get; init; }

    public required FunctionTrigger Trigger { get; init; }

    /// <summary>HTTP route below the <c>api</c> prefix, e.g. <c>likeness/queue</c>.</summary>
    public string? Route { get; init; }

    public IReadOnlyList<string> Methods { get; init; } = [];

    public FunctionAuthLevel AuthLevel { get; init; } = FunctionAuthLevel.Function;

    /// <summary>Six-field NCRONTAB expression (with seconds), as the timer trigger expects; see <see cref="ScheduleSetting"/>.</summary>
    public string? Schedule { get; init; }

    /// <summary>The app setting that overrides <see cref="Schedule"/>, e.g. <c>Timers__ProcessIndexingQueue__Schedule</c>.</summary>
    public string ScheduleSetting => $"Timers__{Name}__Schedule";

    /// <summary>The schedule in force: the app setting when set, else the default.</summary>
    public string ScheduleIn(IConfiguration configuration) =>
        configuration[ScheduleSetting.Replace("__", ":", StringComparison.Ordinal)] is { Length: > 0 } configured
            ? configured
            : Schedule ?? throw new InvalidOperationException($"{Name} is not a timer.");

    /// <summary>What a timer run does; returns a one-line summary for the host's invocation log.</summary>
    public Func<IServiceProvider, CancellationToken, Task<string>>? Job { get; init; }
}
