using System.Text.Json.Nodes;
using Likeness.Shared.Search;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using ProducesResponseTypeAttribute = Microsoft.AspNetCore.Mvc.ProducesResponseTypeAttribute;
using Microsoft.Extensions.Options;

namespace LikenessFunctions.OpenApi;

[Tags("OpenAPI")]
public sealed class OpenApiFunction(IOptions<JsonOptions> json, IOptions<SearchOptions> search)
{
    private static JsonObject? document;

    /// <summary><c>GET /api/openapi.json</c>: the contract of every HTTP function, derived from the functions themselves.</summary>
    [Function(nameof(OpenApiDocument))]
    [EndpointSummary("This document")]
    [ProducesResponseType(typeof(JsonObject), StatusCodes.Status200OK, "application/json")]
    public ContentHttpResult OpenApiDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.OpenApiDocument)] HttpRequest request)
    {
        // Functions are created per invocation; the document never changes while the app runs.
        document ??= OpenApiDocumentBuilder.Build(typeof(OpenApiFunction).Assembly, json.Value.SerializerOptions, search.Value);
        return TypedResults.Text(document.ToJsonString(), "application/json");
    }
}
