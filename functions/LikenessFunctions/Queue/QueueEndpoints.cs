using System.Text.Json;
using Likeness.Shared.Data;
using LikenessFunctions.Functions;
using LikenessFunctions.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LikenessFunctions.Queue;

public static class QueueEndpoints
{
    public static IEndpointRouteBuilder MapQueueApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(FunctionCatalog.EnqueueIndexingEvent.ApiPath(), EnqueueAsync)
            .WithName(FunctionCatalog.EnqueueIndexingEvent.Name)
            .WithJsonBodyLimit()
            .Accepts<EnqueueRequest>("application/json")
            .ProducesValidationProblem();
        endpoints.MapGet(FunctionCatalog.GetIndexingEvent.ApiPath(), GetAsync)
            .WithName(FunctionCatalog.GetIndexingEvent.Name);
        return endpoints;
    }

    /// <summary><c>POST /api/likeness/queue</c>: another part of the platform reports a change to index.</summary>
    public static async Task<Results<Accepted<EnqueueResponse>, ValidationProblem, ProblemHttpResult>> EnqueueAsync(
        HttpRequest request, AccountsAccess accounts, LikenessNeedIndexingQueueAccess queue, CancellationToken cancellationToken)
    {
        var (root, errors) = await JsonBody.ReadObjectAsync(request, cancellationToken);
        var body = errors.Any ? null : EnqueueRequest.Validate(root, errors);
        if (body is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        if (!await accounts.AccountExistsAsync(body.AccountId, cancellationToken))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Account not found",
                detail: "No account has the id given in 'accountId'.", extensions: new Dictionary<string, object?> { ["field"] = "accountId" });
        }
        var queued = await queue.AddToQueueAsync(body.AccountId, body.ElementType, body.ElementId, body.Info, cancellationToken);
        return TypedResults.Accepted($"/api/likeness/queue/{queued.Id}", new EnqueueResponse(queued.Id, queued.Status));
    }

    /// <summary><c>GET /api/likeness/queue/{eventId}</c>: where an event stands.</summary>
    public static async Task<Results<Ok<QueueEvent>, ProblemHttpResult>> GetAsync(
        string eventId, LikenessNeedIndexingQueueAccess queue, CancellationToken cancellationToken) =>
        await queue.GetEventByIdAsync(eventId, cancellationToken) is { } queueEvent
            ? TypedResults.Ok(queueEvent)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Event not found");
}

public sealed record EnqueueResponse(string Id, QueueStatus Status);

/// <summary>The body of <c>POST /api/likeness/queue</c>, validated field by field.</summary>
public sealed record EnqueueRequest(string AccountId, QueueElementType ElementType, string? ElementId, JsonElement? Info)
{
    private static readonly HashSet<string> Fields = ["accountId", "elementType", "elementId", "info"];

    public static EnqueueRequest? Validate(JsonElement root, FieldErrors errors)
    {
        foreach (var property in root.EnumerateObject().Where(p => !Fields.Contains(p.Name)))
        {
            errors.Add(property.Name, "Unknown field.");
        }
        var accountId = root.TryGetProperty("accountId", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
        if (string.IsNullOrWhiteSpace(accountId))
        {
            errors.Add("accountId", "Required: the id of the account to index.");
        }
        var elementTypeLabel = root.TryGetProperty("elementType", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (!DbEnum<QueueElementType>.TryParse(elementTypeLabel, out var elementType))
        {
            errors.Add("elementType", $"Required, one of: {string.Join(", ", DbEnum<QueueElementType>.AllLabels)}.");
        }
        string? elementId = null;
        if (root.TryGetProperty("elementId", out var e) && e.ValueKind != JsonValueKind.Null)
        {
            elementId = e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            if (string.IsNullOrWhiteSpace(elementId))
            {
                errors.Add("elementId", "When given, a non-empty string.");
            }
        }
        JsonElement? info = null;
        if (root.TryGetProperty("info", out var i) && i.ValueKind != JsonValueKind.Null)
        {
            if (i.ValueKind != JsonValueKind.Object)
            {
                errors.Add("info", "When given, a JSON object.");
            }
            info = i;
        }
        return errors.Any ? null : new EnqueueRequest(accountId!, elementType, elementId, info);
    }
}
