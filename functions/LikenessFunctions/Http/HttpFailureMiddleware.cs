using System.Globalization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker.Middleware;
using Npgsql;

namespace LikenessFunctions.Http;

/// <summary>
/// What every HTTP function answers on a bad day: a query string over
/// <see cref="InputRules.MaxQueryLength"/> is 414 problem+json before the function runs, an
/// overloaded or unreachable database is 503 problem+json with Retry-After rather than the host's
/// bare 500, and no error answer is ever stored by a cache (a 404 may be a file still uploading).
/// </summary>
internal sealed class HttpFailureMiddleware(ILogger<HttpFailureMiddleware> logger) : IFunctionsWorkerMiddleware
{
    /// <summary>Seconds a client should wait before retrying after a 503.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>What this middleware may answer for any HTTP function, as the OpenAPI document lists it.</summary>
    public static IReadOnlyList<IProducesResponseTypeMetadata> Responses { get; } =
    [
        new ProducesResponseTypeMetadata(StatusCodes.Status414UriTooLong, typeof(HttpValidationProblemDetails), ["application/problem+json"]),
        new ProducesResponseTypeMetadata(StatusCodes.Status503ServiceUnavailable, typeof(ProblemDetails), ["application/problem+json"]),
    ];

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.GetHttpContext() is not { } http)
        {
            await next(context);
            return;
        }
        http.Response.OnStarting(() =>
        {
            if (http.Response.StatusCode >= StatusCodes.Status400BadRequest)
            {
                http.Response.Headers.CacheControl = "no-store";
            }
            return Task.CompletedTask;
        });
        if (http.Request.QueryString.Value?.Length > InputRules.MaxQueryLength + 1)
        {
            var errors = new FieldErrors();
            errors.Add("query", $"The query string is longer than {InputRules.MaxQueryLength} characters; POST the fields as JSON instead where the endpoint takes a body.");
            context.GetInvocationResult().Value = Problems.Fields(StatusCodes.Status414UriTooLong, "Request line too long", errors);
            return;
        }
        try
        {
            await next(context);
        }
        catch (Exception error) when (IsDatabaseUnavailable(error) && !http.RequestAborted.IsCancellationRequested && !http.Response.HasStarted)
        {
            logger.LogWarning(error, "{Function} answered 503: the database is busy or unreachable", context.FunctionDefinition.Name);
            http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            context.GetInvocationResult().Value = TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Service busy",
                detail: $"The database did not answer in time; retry after {RetryAfterSeconds} seconds.");
        }
    }

    /// <summary>Timeouts (pool wait, command, the search's own deadline) and connection failures; not errors in what was asked.</summary>
    private static bool IsDatabaseUnavailable(Exception error) =>
        error switch
        {
            TimeoutException or NpgsqlException { IsTransient: true } => true,
            AggregateException { InnerExceptions: [var single] } => IsDatabaseUnavailable(single),
            _ => error.InnerException is { } inner && inner is TimeoutException or NpgsqlException { IsTransient: true },
        };
}
