using Likeness.Shared.Data;
using Likeness.Shared.Search.ReadModel;

namespace Likeness.Shared.Search;

/// <summary>A page of exact matches, how many match in all, and facet counts by attribute name and label.</summary>
public sealed record ExactMatches(
    IReadOnlyList<LikenessSearchRow> Rows,
    long Total,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> Facets);

/// <summary>
/// The attribute-matching part of search, exact and partial matches: the in-memory read model
/// when it is loaded, else PostgreSQL (<see cref="LikenessSearchAccess.SearchByFiltersAsync"/>,
/// <see cref="LikenessSearchAccess.SearchPartialAsync"/> and
/// <see cref="LikenessSearchAccess.CountFacetsAsync"/>), which give the same answers.
/// </summary>
public sealed class ExactSearch(LikenessSearchAccess index, SearchReadModel model)
{
    /// <inheritdoc cref="SearchSnapshot.Search"/>
    public async Task<ExactMatches> SearchAsync(
        SearchFilters filters, int limit, int offset, IReadOnlyList<DiscreteAttribute> facets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(facets);
        if (model.Current is { } snapshot)
        {
            return snapshot.Search(filters, limit, offset, facets);
        }
        var page = await index.SearchByFiltersAsync(filters, limit, offset, cancellationToken);
        var counts = await index.CountFacetsAsync(filters, facets, cancellationToken);
        return new ExactMatches(page.Rows, page.Total, counts);
    }

    /// <inheritdoc cref="LikenessSearchAccess.SearchPartialAsync"/>
    public async Task<LikenessSearchPage> SearchPartialAsync(
        SearchFilters filters, IReadOnlyCollection<SearchAttribute> strict, int limit, int offset, CancellationToken cancellationToken) =>
        model.Current is { } snapshot
            ? snapshot.SearchPartial(filters, strict, limit, offset)
            : await index.SearchPartialAsync(filters, strict, limit, offset, cancellationToken);

    /// <summary>The account's attributes, or null when it has no row.</summary>
    public async Task<SearchAttributes?> AttributesOfAsync(string accountId, CancellationToken cancellationToken) =>
        model.Current is { } snapshot
            ? snapshot.Find(accountId)?.Attributes
            : (await index.GetSearchIndexByAccountIdAsync(accountId, cancellationToken))?.Attributes;
}
