using Likeness.Shared.Search;
using LikenessFunctions.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LikenessFunctions.Search;

public sealed class SearchFunctions(LikenessSearchService search, IOptions<SearchOptions> options)
{
    /// <summary>
    /// <c>GET /api/likeness/search?hairColor=BLONDE&amp;hairColor=BROWN&amp;q=...</c>, or <c>POST</c> with
    /// the same fields in a JSON object (lists as arrays).
    /// </summary>
    [Function(nameof(Search))]
    public async Task<Results<Ok<SearchResultPage>, ValidationProblem>> Search(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", Route = Routes.Search)] HttpRequest request, CancellationToken cancellationToken)
    {
        var (query, errors) = HttpMethods.IsPost(request.Method)
            ? await FromBodyAsync(request, cancellationToken)
            : FromQuery(request, acceptsText: true);
        return query is null
            ? TypedResults.ValidationProblem(errors.ToDictionary())
            : TypedResults.Ok(await search.SearchAsync(query, cancellationToken));
    }

    /// <summary><c>GET /api/likeness/accounts/{accountId}/similar</c>: lookalikes, with the search's filters and paging.</summary>
    [Function(nameof(SimilarAccounts))]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<Results<Ok<SearchResultPage>, ValidationProblem, ProblemHttpResult>> SimilarAccounts(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.SimilarAccounts)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken)
    {
        var (query, errors) = FromQuery(request, acceptsText: false);
        if (query is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var page = string.IsNullOrWhiteSpace(accountId) ? null : await search.FindSimilarAsync(accountId, query, cancellationToken);
        return page is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Account not indexed",
                detail: "The account does not exist or has no search embedding yet.")
            : TypedResults.Ok(page);
    }

    private (SearchQuery? Query, FieldErrors Errors) FromQuery(HttpRequest request, bool acceptsText)
    {
        var errors = new FieldErrors();
        return (SearchRequest.Validate(SearchFields.FromQuery(request.Query), options.Value, acceptsText, errors), errors);
    }

    private async Task<(SearchQuery? Query, FieldErrors Errors)> FromBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (root, errors) = await JsonBody.ReadObjectAsync(request, cancellationToken);
        foreach (var name in SearchFields.FromQuery(request.Query).Names)
        {
            errors.Add(name, "Unknown query parameter: POST takes its fields in the JSON body.");
        }
        return (errors.Any ? null : SearchRequest.Validate(SearchFields.FromJson(root, errors), options.Value, acceptsText: true, errors), errors);
    }
}
