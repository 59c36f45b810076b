using LikenessFunctions.Functions;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace LikenessFunctions.OpenApi;

/// <summary>
/// The API's OpenAPI document at <c>/api/openapi.json</c>, generated from the endpoints and
/// completed from <see cref="FunctionCatalog"/>: every HTTP function appears, and the ones behind a
/// function key say so.
/// </summary>
public static class OpenApiEndpoints
{
    public const string FunctionKeyScheme = "functionKey";

    public static IServiceCollection AddLikenessOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options => options.AddDocumentTransformer(DescribeAsync));

    public static IEndpointRouteBuilder MapLikenessOpenApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi(FunctionCatalog.OpenApiDocument.ApiPath())
            .WithName(FunctionCatalog.OpenApiDocument.Name);
        return endpoints;
    }

    private static Task DescribeAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Likeness Search API",
            Version = "1",
            Description = "Search over licensed talent likenesses, lookalikes, media delivery and the indexing queue. "
                + "Functions with authLevel 'function' need a function key, in the x-functions-key header or the code query parameter.",
        };
        // Behind the Functions host the app only sees the host's local proxy, so any server URL it
        // derived would be wrong; without one, clients resolve paths against the document's own URL.
        document.Servers = [];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[FunctionKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "x-functions-key",
            Description = "An Azure Functions function key; the host also accepts it as the 'code' query parameter.",
        };
        document.Paths ??= [];

        foreach (var function in FunctionCatalog.All.Where(f => f.Trigger == FunctionTrigger.Http && f != FunctionCatalog.OpenApiDocument))
        {
            var path = function.ApiPath();
            if (!document.Paths.TryGetValue(path, out var item) || item is not OpenApiPathItem pathItem)
            {
                // Endpoints the generator cannot see (health checks) still belong in the contract.
                document.Paths[path] = pathItem = new OpenApiPathItem();
            }
            pathItem.Operations ??= [];
            foreach (var method in function.Methods.Select(m => HttpMethod.Parse(m)))
            {
                if (!pathItem.Operations.TryGetValue(method, out var operation))
                {
                    pathItem.Operations[method] = operation = new OpenApiOperation
                    {
                        Responses = new OpenApiResponses { ["200"] = new OpenApiResponse { Description = "OK" } },
                    };
                }
                // Operation ids must be unique: a function answering several methods gets one per method (MediaGet, MediaHead).
                operation.OperationId = function.Methods.Count == 1 ? function.Name : function.Name + Pascal(method.Method);
                if (function.AuthLevel == FunctionAuthLevel.Function)
                {
                    operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(FunctionKeyScheme, document)] = [] }];
                    operation.Responses ??= [];
                    operation.Responses["401"] = new OpenApiResponse { Description = "No valid function key (answered by the Functions host)." };
                }
            }
        }
        return Task.CompletedTask;
    }

    private static string Pascal(string method) => string.Concat(method[..1].ToUpperInvariant(), method[1..].ToLowerInvariant());
}
