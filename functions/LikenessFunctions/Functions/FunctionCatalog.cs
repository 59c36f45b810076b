using Likeness.Shared.Indexing;

namespace LikenessFunctions.Functions;

/// <summary>Every function of the app, in one place: the endpoints, the scheduler and function.json follow it.</summary>
public static class FunctionCatalog
{
    public static FunctionDefinition Health { get; } = new()
    {
        Name = "Health",
        Trigger = FunctionTrigger.Http,
        Route = "health",
        Methods = ["GET"],
        AuthLevel = FunctionAuthLevel.Anonymous,
    };

    public static FunctionDefinition EnqueueIndexingEvent { get; } = new()
    {
        Name = "EnqueueIndexingEvent",
        Trigger = FunctionTrigger.Http,
        Route = "likeness/queue",
        Methods = ["POST"],
    };

    public static FunctionDefinition GetIndexingEvent { get; } = new()
    {
        Name = "GetIndexingEvent",
        Trigger = FunctionTrigger.Http,
        Route = "likeness/queue/{eventId}",
        Methods = ["GET"],
    };

    public static FunctionDefinition Search { get; } = new()
    {
        Name = "Search",
        Trigger = FunctionTrigger.Http,
        Route = "likeness/search",
        Methods = ["GET", "POST"],
    };

    public static FunctionDefinition SimilarAccounts { get; } = new()
    {
        Name = "SimilarAccounts",
        Trigger = FunctionTrigger.Http,
        Route = "likeness/accounts/{accountId}/similar",
        Methods = ["GET"],
    };

    public static FunctionDefinition Media { get; } = new()
    {
        Name = "Media",
        Trigger = FunctionTrigger.Http,
        Route = "media/{filename}",
        Methods = ["GET", "HEAD"],
        AuthLevel = FunctionAuthLevel.Anonymous,
    };

    public static FunctionDefinition OpenApiDocument { get; } = new()
    {
        Name = "OpenApiDocument",
        Trigger = FunctionTrigger.Http,
        Route = "openapi.json",
        Methods = ["GET"],
        AuthLevel = FunctionAuthLevel.Anonymous,
    };

    public static FunctionDefinition ProcessIndexingQueue { get; } = new()
    {
        Name = "ProcessIndexingQueue",
        Trigger = FunctionTrigger.Timer,
        Schedule = "*/10 * * * * *",
        Job = async (services, cancellationToken) =>
            (await services.GetRequiredService<IndexingQueueProcessor>().ProcessAsync(cancellationToken)).ToString(),
    };

    public static FunctionDefinition SweepTimedOutEvents { get; } = new()
    {
        Name = "SweepTimedOutEvents",
        Trigger = FunctionTrigger.Timer,
        Schedule = "0 * * * * *",
        Job = (services, cancellationToken) => services.GetRequiredService<QueueMaintenance>().SweepTimedOutEventsAsync(cancellationToken),
    };

    public static FunctionDefinition PromoteRetryableEvents { get; } = new()
    {
        Name = "PromoteRetryableEvents",
        Trigger = FunctionTrigger.Timer,
        Schedule = "*/30 * * * * *",
        Job = (services, cancellationToken) => services.GetRequiredService<QueueMaintenance>().PromoteRetryableEventsAsync(cancellationToken),
    };

    public static IReadOnlyList<FunctionDefinition> All { get; } =
        [Health, EnqueueIndexingEvent, GetIndexingEvent, Search, SimilarAccounts, Media, OpenApiDocument, ProcessIndexingQueue, SweepTimedOutEvents, PromoteRetryableEvents];

    public static IEnumerable<FunctionDefinition> Timers => All.Where(f => f.Trigger == FunctionTrigger.Timer);

    /// <summary>The path the app serves an HTTP function on: the host's <c>api</c> prefix plus its route.</summary>
    public static string ApiPath(this FunctionDefinition function) =>
        "/api/" + (function.Route ?? throw new InvalidOperationException($"{function.Name} is not an HTTP function."));
}
