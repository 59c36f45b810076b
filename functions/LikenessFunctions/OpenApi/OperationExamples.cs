using System.Text.Json;
using System.Text.Json.Nodes;
using Likeness.Shared.Data;
using Likeness.Shared.Search;
using LikenessFunctions.Health;
using LikenessFunctions.Queue;
using Microsoft.AspNetCore.Mvc;

namespace LikenessFunctions.OpenApi;

/// <summary>An operation's example: the body it answers with <paramref name="Status"/>, and the request body when it takes one.</summary>
internal sealed record OperationExample(int Status, object Response, string? Request = null);

/// <summary>
/// One example per HTTP function, by function name. Responses are the API's own types, written
/// with its JSON options, so an example cannot drift from the schema it illustrates; a test checks
/// the request bodies against theirs.
/// </summary>
internal static class OperationExamples
{
    private static readonly DateTimeOffset Created = new(2026, 1, 15, 9, 30, 0, TimeSpan.Zero);

    private static readonly SearchResult Blonde = new(
        "V1StGXR8_Z5jdHi6B-myT", "jane-doe", "Jane Doe", "/api/media/avatar-ab12.jpg", SearchMatch.Exact, null,
        125_000, Platform.Instagram, true,
        new SearchAttributes { Category = Category.Actors, Gender = Gender.Female, Country = Country.Uk, Height = 170, HairColor = HairColor.Blonde },
        Images: [new MediaLink("img_01", "/api/media/headshot-cd34.jpg")], VoiceSamples: null);

    private static readonly SearchResult Lookalike = Blonde with
    {
        AccountId = "4f90d13a42_Xy7Pq1Lm0",
        Slug = "ann-roe",
        DisplayName = "Ann Roe",
        Match = SearchMatch.Semantic,
        Distance = 0.41,
        Attributes = Blonde.Attributes with { HairColor = HairColor.Red },
        Matched = ["gender", "category"],
        Unmatched = ["hairColor"],
    };

    private static readonly Dictionary<string, OperationExample> ByFunction = new(StringComparer.Ordinal)
    {
        ["Search"] = new(StatusCodes.Status200OK,
            new SearchResultPage([Blonde, Lookalike], Total: 1, Limit: 20, Offset: 0, SemanticTotal: 1, HasMore: false, NextOffset: null)
            {
                Facets = new Dictionary<string, IReadOnlyDictionary<string, long>> { ["hairColor"] = new Dictionary<string, long> { ["BLONDE"] = 1 } },
            },
            Request: """{"q":"blonde actress with a British accent","gender":["FEMALE"],"category":"ACTORS","minHeight":165,"assetType":"IMAGE","facets":["hairColor"],"limit":20}"""),
        ["SimilarAccounts"] = new(StatusCodes.Status200OK,
            new SearchResultPage([Lookalike], Total: 0, Limit: 20, Offset: 0, SemanticTotal: null, HasMore: true, NextOffset: 20)),
        ["EnqueueIndexingEvent"] = new(StatusCodes.Status202Accepted,
            new EnqueueResponse("q_Tz8LmN2pR4sV6wX0yZ1", QueueStatus.Pending),
            Request: """{"accountId":"V1StGXR8_Z5jdHi6B-myT","elementType":"IMAGE_ASSET","elementId":"img_01"}"""),
        ["GetIndexingEvent"] = new(StatusCodes.Status200OK,
            new QueueEvent("q_Tz8LmN2pR4sV6wX0yZ1", "V1StGXR8_Z5jdHi6B-myT", QueueElementType.ImageAsset, "img_01", QueueStatus.Completed,
                null, 0, null, Created, Created.AddSeconds(12))),
        ["Media"] = new(StatusCodes.Status404NotFound,
            new ProblemDetails { Type = "https://tools.ietf.org/html/rfc9110#section-15.5.5", Title = "Media not found", Status = StatusCodes.Status404NotFound }),
        ["Health"] = new(StatusCodes.Status200OK, new HealthReportBody("ok", "ok", 3.2)),
        ["OpenApiDocument"] = new(StatusCodes.Status200OK, new JsonObject { ["openapi"] = "3.1.1", ["info"] = new JsonObject { ["title"] = "Likeness Search API" } }),
    };

    public static OperationExample? For(string function) => ByFunction.GetValueOrDefault(function);

    public static JsonNode ToJson(object value, JsonSerializerOptions json) => JsonSerializer.SerializeToNode(value, value.GetType(), json)!;
}
