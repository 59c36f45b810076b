using Likeness.Shared.Data;
using LikenessFunctions.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace LikenessFunctions.Queue;

[Tags("Indexing queue")]
public sealed class QueueFunctions(AccountsAccess accounts, LikenessNeedIndexingQueueAccess queue)
{
    /// <summary><c>POST /api/likeness/queue</c>: another part of the platform reports a change to index.</summary>
    [Function(nameof(EnqueueIndexingEvent))]
    [EndpointSummary("Report a change to an account for the indexer")]
    [Consumes(typeof(EnqueueRequest), "application/json")]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    public async Task<Results<Accepted<EnqueueResponse>, ValidationProblem, ProblemHttpResult>> EnqueueIndexingEvent(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = Routes.Queue)] HttpRequest request, CancellationToken cancellationToken)
    {
        var read = await JsonBody.ReadObjectAsync(request, cancellationToken);
        if (JsonBody.Refusal(read) is { } refused)
        {
            return refused;
        }
        var body = read.Errors.Any ? null : EnqueueRequest.Validate(read.Root, read.Errors);
        if (body is null)
        {
            return TypedResults.ValidationProblem(read.Errors.ToDictionary());
        }
        if (!await accounts.AccountExistsAsync(body.AccountId, cancellationToken))
        {
            return Problems.NotFound("Account not found", "accountId", $"No account has the id '{body.AccountId}'.");
        }
        var queued = await queue.AddToQueueAsync(body.AccountId, body.ElementType, body.ElementId, body.Info, cancellationToken);
        return TypedResults.Accepted($"{Routes.PathOf(Routes.Queue)}/{queued.Id}", new EnqueueResponse(queued.Id, queued.Status));
    }

    /// <summary><c>GET /api/likeness/queue/{eventId}</c>: where an event stands.</summary>
    [Function(nameof(GetIndexingEvent))]
    [EndpointSummary("Where an indexing event stands")]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<Results<Ok<QueueEvent>, ProblemHttpResult>> GetIndexingEvent(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.QueueEvent)] HttpRequest request,
        string eventId,
        CancellationToken cancellationToken) =>
        InputRules.IsId(eventId) && await queue.GetEventByIdAsync(eventId, cancellationToken) is { } queueEvent
            ? TypedResults.Ok(queueEvent)
            : Problems.NotFound("Event not found", "eventId", "No indexing event has this id.");
}
