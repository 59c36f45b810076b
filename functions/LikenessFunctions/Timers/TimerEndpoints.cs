using LikenessFunctions.Functions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LikenessFunctions.Timers;

public static class TimerEndpoints
{
    /// <summary><c>POST /{FunctionName}</c> for every timer: how the Functions host invokes a custom handler.</summary>
    public static IEndpointRouteBuilder MapTimerFunctions(this IEndpointRouteBuilder endpoints)
    {
        foreach (var function in FunctionCatalog.Timers)
        {
            endpoints.MapPost($"/{function.Name}", (TimerInvocationRequest? request, IServiceProvider services, ILoggerFactory loggers, CancellationToken cancellationToken) =>
                    InvokeAsync(function, request, services, loggers.CreateLogger(typeof(TimerEndpoints)), cancellationToken))
                .WithName(function.Name)
                .ExcludeFromDescription();
        }
        return endpoints;
    }

    private static async Task<Results<Ok<TimerInvocationResponse>, JsonHttpResult<TimerInvocationResponse>>> InvokeAsync(
        FunctionDefinition function, TimerInvocationRequest? request, IServiceProvider services, ILogger logger, CancellationToken cancellationToken)
    {
        if (request?.Data?.Values.Any(timer => timer.IsPastDue) == true)
        {
            logger.LogInformation("Timer {Function} is past due", function.Name);
        }
        try
        {
            var summary = await function.Job!(services, cancellationToken);
            logger.LogInformation("Timer {Function}: {Summary}", function.Name, summary);
            return TypedResults.Ok(new TimerInvocationResponse([], [summary], null));
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // A non-2xx answer is how the host learns the invocation failed; the log line says why.
            logger.LogError(error, "Timer {Function} failed", function.Name);
            return TypedResults.Json(new TimerInvocationResponse([], [$"{function.Name} failed: {error.Message}"], null), statusCode: StatusCodes.Status500InternalServerError);
        }
    }
}
