using Likeness.Shared.Search;
using LikenessFunctions.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LikenessFunctions.Search;

[Tags("Search")]
public sealed class SearchFunctions(LikenessSearchService search, IOptions<SearchOptions> options)
{
    /// <summary>
    /// <c>GET /api/likeness/search?hairColor=BLONDE&amp;hairColor=BROWN&amp;q=...</c>, or <c>POST</c> with
    /// the same fields in a JSON object (lists as arrays).
    /// </summary>
    [Function(nameof(Search))]
    [EndpointSummary("Search by filters and free text: exact matches first, then partial, then semantic ones")]
    [TakesSearchFields(Lookalike = false)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    public async Task<Results<Ok<SearchResultPage>, ValidationProblem, ProblemHttpResult>> Search(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", Route = Routes.Search)] HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (query, errors, refused) = HttpMethods.IsPost(request.Method)
            ? await FromBodyAsync(request, cancellationToken)
            : FromQuery(request, acceptsText: true);
        if (refused is not null)
        {
            return refused;
        }
        return query is null
            ? TypedResults.ValidationProblem(errors.ToDictionary())
            : TypedResults.Ok(await search.SearchAsync(query, cancellationToken));
    }

    /// <summary><c>GET /api/likeness/accounts/{accountId}/similar</c>: lookalikes, with the search's filters and paging.</summary>
    [Function(nameof(SimilarAccounts))]
    [EndpointSummary("Lookalikes of an indexed account, with the search's filters and paging")]
    [TakesSearchFields(Lookalike = true)]
    [ProducesResponseType<HttpValidationProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<Results<Ok<SearchResultPage>, ValidationProblem, ProblemHttpResult>> SimilarAccounts(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.SimilarAccounts)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken)
    {
        var (query, errors, _) = FromQuery(request, acceptsText: false);
        if (query is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var page = !InputRules.IsId(accountId) ? null : await search.FindSimilarAsync(accountId, query, cancellationToken);
        return page is null
            ? Problems.NotFound("Account not indexed", "accountId", "No account with this id is in the search index (it does not exist or is not indexed yet).")
            : TypedResults.Ok(page);
    }

    private (SearchQuery? Query, FieldErrors Errors, ProblemHttpResult? Refused) FromQuery(HttpRequest request, bool acceptsText)
    {
        var errors = new FieldErrors();
        return (SearchRequest.Validate(SearchFields.FromQuery(request.Query), options.Value, acceptsText, errors), errors, null);
    }

    private async Task<(SearchQuery? Query, FieldErrors Errors, ProblemHttpResult? Refused)> FromBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var read = await JsonBody.ReadObjectAsync(request, cancellationToken);
        if (JsonBody.Refusal(read) is { } refused)
        {
            return (null, read.Errors, refused);
        }
        foreach (var name in SearchFields.FromQuery(request.Query).Names)
        {
            read.Errors.Add(name, "Unknown query parameter: POST takes its fields in the JSON body.");
        }
        return (read.Errors.Any ? null : SearchRequest.Validate(SearchFields.FromJson(read.Root), options.Value, acceptsText: true, read.Errors),
            read.Errors, null);
    }
}
