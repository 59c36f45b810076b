using Likeness.Shared.Search;
using LikenessFunctions.Functions;
using LikenessFunctions.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LikenessFunctions.Search;

public static class SearchEndpoints
{
    public static IEndpointRouteBuilder MapSearchApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(FunctionCatalog.Search.ApiPath(), SearchByQueryStringAsync)
            .WithName(FunctionCatalog.Search.Name)
            .ProducesValidationProblem();
        // One function (one route) in the catalog, two endpoints here; the POST one's name is only for link generation.
        endpoints.MapPost(FunctionCatalog.Search.ApiPath(), SearchByBodyAsync)
            .WithName(FunctionCatalog.Search.Name + "Post")
            .WithJsonBodyLimit()
            .ProducesValidationProblem();
        endpoints.MapGet(FunctionCatalog.SimilarAccounts.ApiPath(), FindSimilarAsync)
            .WithName(FunctionCatalog.SimilarAccounts.Name)
            .ProducesValidationProblem();
        return endpoints;
    }

    /// <summary><c>GET /api/likeness/search?hairColor=BLONDE&amp;hairColor=BROWN&amp;q=...</c></summary>
    public static async Task<Results<Ok<SearchResultPage>, ValidationProblem>> SearchByQueryStringAsync(
        HttpRequest request, LikenessSearchService search, IOptions<SearchOptions> options, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        return SearchRequest.Validate(SearchFields.FromQuery(request.Query), options.Value, acceptsText: true, errors) is { } query
            ? TypedResults.Ok(await search.SearchAsync(query, cancellationToken))
            : TypedResults.ValidationProblem(errors.ToDictionary());
    }

    /// <summary><c>POST /api/likeness/search</c> with the same fields in a JSON object, lists as arrays.</summary>
    public static async Task<Results<Ok<SearchResultPage>, ValidationProblem>> SearchByBodyAsync(
        HttpRequest request, LikenessSearchService search, IOptions<SearchOptions> options, CancellationToken cancellationToken)
    {
        var (root, errors) = await JsonBody.ReadObjectAsync(request, cancellationToken);
        foreach (var name in SearchFields.FromQuery(request.Query).Names)
        {
            errors.Add(name, "Unknown query parameter: POST takes its fields in the JSON body.");
        }
        var query = errors.Any ? null : SearchRequest.Validate(SearchFields.FromJson(root, errors), options.Value, acceptsText: true, errors);
        return query is null
            ? TypedResults.ValidationProblem(errors.ToDictionary())
            : TypedResults.Ok(await search.SearchAsync(query, cancellationToken));
    }

    /// <summary><c>GET /api/likeness/accounts/{accountId}/similar</c>: lookalikes, with the search's filters and paging.</summary>
    public static async Task<Results<Ok<SearchResultPage>, ValidationProblem, ProblemHttpResult>> FindSimilarAsync(
        string accountId, HttpRequest request, LikenessSearchService search, IOptions<SearchOptions> options, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (SearchRequest.Validate(SearchFields.FromQuery(request.Query), options.Value, acceptsText: false, errors) is not { } query)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var page = string.IsNullOrWhiteSpace(accountId) ? null : await search.FindSimilarAsync(accountId, query, cancellationToken);
        return page is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Account not indexed",
                detail: "The account does not exist or has no search embedding yet.")
            : TypedResults.Ok(page);
    }
}
