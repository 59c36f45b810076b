namespace LikenessFunctions.Tests;

/// <summary>
/// The functions the frontend and the platform depend on, written out independently of the app
/// so a change to a route, method, auth level or schedule setting shows up as a failing test.
/// </summary>
public sealed record FunctionContract(string Name, string Trigger, string? Route = null, string[]? Methods = null, string? AuthLevel = null, string? ScheduleSetting = null)
{
    public static IReadOnlyList<FunctionContract> All { get; } =
    [
        Http("Health", "health", ["get"], "Anonymous"),
        Http("Search", "likeness/search", ["get", "post"], "Function"),
        Http("SimilarAccounts", "likeness/accounts/{accountId}/similar", ["get"], "Function"),
        Http("EnqueueIndexingEvent", "likeness/queue", ["post"], "Function"),
        Http("GetIndexingEvent", "likeness/queue/{eventId}", ["get"], "Function"),
        Http("Media", "media/{filename}", ["get", "head"], "Anonymous"),
        Http("OpenApiDocument", "openapi.json", ["get"], "Anonymous"),
        Timer("ProcessIndexingQueue"),
        Timer("SweepTimedOutEvents"),
        Timer("PromoteRetryableEvents"),
    ];

    public static IEnumerable<FunctionContract> HttpFunctions => All.Where(f => f.Trigger == "httpTrigger");

    public static IEnumerable<FunctionContract> Timers => All.Where(f => f.Trigger == "timerTrigger");

    /// <summary>The path the host serves the function on, under its <c>api</c> prefix.</summary>
    public string ApiPath => "/api/" + Route;

    private static FunctionContract Http(string name, string route, string[] methods, string authLevel) =>
        new(name, "httpTrigger", route, methods, authLevel);

    /// <summary>Timers read their NCRONTAB schedule from the app setting <c>Timers__{Name}__Schedule</c>.</summary>
    private static FunctionContract Timer(string name) => new(name, "timerTrigger", ScheduleSetting: $"Timers:{name}:Schedule");
}
