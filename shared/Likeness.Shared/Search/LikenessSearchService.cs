using Likeness.Shared.Data;
using Likeness.Shared.Indexing;
using Likeness.Shared.Providers;
using Likeness.Shared.Search.Briefs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pgvector;

namespace Likeness.Shared.Search;

/// <summary>
/// Search and lookalike search over the two indexes, with results ready for the frontend.
/// </summary>
/// <remarks>
/// <para>
/// Paging rule of <see cref="SearchAsync"/>: the results form one list in three parts, and
/// <c>offset</c>/<c>limit</c> cut the page out of that list. First every exact match (most
/// followers first, then account id, as <see cref="LikenessSearchAccess.SearchByFiltersAsync"/>
/// orders them); then the partial matches (<see cref="LikenessSearchAccess.SearchPartialAsync"/>):
/// accounts that satisfy the strict filters (<see cref="SearchQuery.Strict"/>) and some of the
/// others, most of them first, then in the same order; then the semantic matches (nearest first,
/// then account id), accounts within <see cref="SearchOptions.MaxDistance"/>, drawn from the
/// <see cref="VectorSearchOptions.MaxTopK"/> nearest, that satisfy the strict filters and none of
/// the others. The parts never share an account and each holds it once, so a page reaches the next
/// part only where the one before has run out, and walking the pages by <c>nextOffset</c> never
/// shows an account twice or skips one. <c>total</c> counts the exact matches alone,
/// <c>partialTotal</c> the partial ones (once a page reaches them), <c>semanticTotal</c> the
/// semantic ones, known on the last page. Partial matches come before the semantic ones because
/// the attributes a request names are what it asks for, and a near neighbour may satisfy fewer of
/// them than an account farther away.
/// </para>
/// <para>
/// The semantic part embeds the filters that pin an attribute to one value (in the indexer's
/// tag text, <see cref="TagText"/>) followed by the free text. Free text alone asks for nothing
/// exact: its results are all semantic and <c>total</c> is 0, because listing every account
/// first would bury what the text asked for. Without filters and text, every account is an
/// exact match (browsing).
/// </para>
/// <para>
/// With a brief interpreter (the app always has one), the text is read first
/// (<see cref="IBriefInterpreter"/>): the filters it names join the explicit ones, an explicit
/// filter winning for its attribute, and only the words left over are free text. The page reports
/// the reading as <see cref="SearchResultPage.Interpreted"/>.
/// </para>
/// </remarks>
public sealed class LikenessSearchService(
    ExactSearch exact,
    LikenessSearchVectorAccess vectors,
    SearchReadAccess reads,
    IEmbedder embedder,
    IOptions<SearchOptions> options,
    ILogger<LikenessSearchService> logger,
    IBriefInterpreter? briefs = null)
{
    private SearchOptions Options => options.Value;

    /// <exception cref="TimeoutException">The search took longer than <see cref="SearchOptions.Timeout"/>.</exception>
    public Task<SearchResultPage> SearchAsync(SearchQuery query, CancellationToken cancellationToken) =>
        WithinTimeoutAsync(token => SearchCoreAsync(query, token), cancellationToken);

    /// <inheritdoc cref="FindSimilarCoreAsync"/>
    /// <exception cref="TimeoutException">The search took longer than <see cref="SearchOptions.Timeout"/>.</exception>
    public Task<SearchResultPage?> FindSimilarAsync(string accountId, SearchQuery query, CancellationToken cancellationToken) =>
        WithinTimeoutAsync(token => FindSimilarCoreAsync(accountId, query, token), cancellationToken);

    private async Task<T> WithinTimeoutAsync<T>(Func<CancellationToken, Task<T>> search, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Options.Timeout);
        try
        {
            return await search(deadline.Token);
        }
        catch (OperationCanceledException cancelled) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The search did not finish within {Options.Timeout}.", cancelled);
        }
    }

    private async Task<SearchResultPage> SearchCoreAsync(SearchQuery query, CancellationToken cancellationToken)
    {
        var limit = CheckPage(query);
        var brief = briefs is not null && !string.IsNullOrWhiteSpace(query.Text)
            ? await briefs.InterpretAsync(query.Text, cancellationToken)
            : null;
        query = brief?.ApplyTo(query) ?? query;
        var filtered = !SearchAttributeCatalog.IsUnfiltered(query.Filters);
        var text = QueryText(query);
        var strict = query.Strict ?? Options.DefaultStrictAttributes;
        var (required, counted) = SearchAttributeCatalog.PartialSplit(query.Filters, strict);

        var facets = Facets(query);
        var exactMatches = filtered || text is null
            ? await exact.SearchAsync(query.Filters, limit, query.Offset, facets, cancellationToken)
            : new ExactMatches([], 0, facets.ToDictionary(f => f.Name, _ => (IReadOnlyDictionary<string, long>)new Dictionary<string, long>()));
        var moreExact = query.Offset + exactMatches.Rows.Count < exactMatches.Total;
        var listed = exactMatches.Total;

        var partial = new LikenessSearchPage([], 0);
        var morePartial = false;
        if (!moreExact && filtered && Options.PartialMatches)
        {
            // A page that ends exactly at the last exact match still asks, for hasMore (limit 0).
            var skip = (int)Math.Max(0, query.Offset - listed);
            partial = await exact.SearchPartialAsync(query.Filters, strict, limit - exactMatches.Rows.Count, skip, cancellationToken);
            morePartial = skip + partial.Rows.Count < partial.Total;
            listed += partial.Total;
        }

        IReadOnlyList<Hit> semantic = [];
        var moreSemantic = false;
        long semanticTotal = 0;
        if (!moreExact && !morePartial && text is not null && await EmbedAsync(text, cancellationToken) is { } embedding)
        {
            var skip = (int)Math.Max(0, query.Offset - listed);
            var needed = limit - exactMatches.Rows.Count - partial.Rows.Count;
            // One candidate beyond the page tells whether another page follows. The exact and
            // partial matches among the nearest are dropped, so offset + limit + 1 candidates are
            // a first guess that the search widens as needed.
            var candidates = await NearestAcceptedAsync(
                embedding, skip + needed + 1L, (long)query.Offset + limit + 1, excludeAccountId: null, query.AssetType,
                SearchAttributeCatalog.Keep(query.Filters, required),
                card => IsSemanticCandidate(query.Filters, filtered, required, Options.PartialMatches ? counted : [], card), cancellationToken);
            semantic = [.. candidates.Skip(skip).Take(needed)];
            moreSemantic = candidates.Count > skip + needed;
            semanticTotal = candidates.Count;
        }

        var results = await AttributeResultsAsync(exactMatches.Rows, partial.Rows, query.Filters, query.AssetType, cancellationToken);
        results.AddRange(semantic.Select(h => SemanticResult(h, query.Filters, query.AssetType)));
        return Page(results, exactMatches.Total, limit, query.Offset, semanticTotal, moreExact || morePartial || moreSemantic) with
        {
            PartialTotal = moreExact ? null : partial.Total,
            Facets = query.Facets is null ? null : exactMatches.Facets,
            Interpreted = brief?.Describe(),
        };
    }

    /// <summary>
    /// Whether a neighbour belongs to the semantic part: it satisfies the strict filters, is no
    /// exact match, and satisfies none of <paramref name="partial"/>, the attributes that make it a
    /// partial match, listed before.
    /// </summary>
    private static bool IsSemanticCandidate(
        SearchFilters filters, bool filtered, IReadOnlyList<SearchAttribute> required, IReadOnlyList<SearchAttribute> partial, AccountCard card)
    {
        var attributes = card.Attributes ?? new SearchAttributes();
        return required.All(a => a.Matches(filters, attributes))
            && !partial.Any(a => a.Matches(filters, attributes))
            && !(filtered && IsMatch(filters, card));
    }

    private static SearchResultPage Page(List<SearchResult> results, long total, int limit, int offset, long semanticTotal, bool hasMore) =>
        new(results, total, limit, offset, hasMore ? null : semanticTotal, hasMore, hasMore ? offset + limit : null);

    /// <summary>
    /// The accounts nearest to <paramref name="accountId"/>'s stored embedding, itself left out,
    /// nearest first, within <see cref="SearchOptions.MaxDistance"/>; the filters restrict which
    /// accounts may appear, and <c>offset</c>/<c>limit</c> page through them (the
    /// <see cref="VectorSearchOptions.MaxTopK"/> nearest at most). Every result is semantic;
    /// <c>total</c> counts the other accounts matching the filters, the pool the lookalikes are
    /// ranked from. Free text in <paramref name="query"/> is not used.
    /// </summary>
    /// <returns>Null when the account has no embedding (it is not indexed).</returns>
    private async Task<SearchResultPage?> FindSimilarCoreAsync(string accountId, SearchQuery query, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);
        var limit = CheckPage(query);
        if (await vectors.GetVectorByAccountIdAsync(accountId, cancellationToken) is not { } own)
        {
            return null;
        }
        var filtered = !SearchAttributeCatalog.IsUnfiltered(query.Filters);
        var wanted = (long)query.Offset + limit + 1;
        var matching = await NearestAcceptedAsync(
            own.Embedding, wanted, wanted, accountId, query.AssetType, query.Filters,
            card => !filtered || IsMatch(query.Filters, card), cancellationToken);

        var page = matching.Skip(query.Offset).Take(limit).Select(h => SemanticResult(h, query.Filters, query.AssetType)).ToList();
        var total = await PoolSizeAsync(accountId, query.Filters, cancellationToken);
        return Page(page, total, limit, query.Offset, matching.Count, matching.Count > query.Offset + limit);
    }

    private int CheckPage(SearchQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(query.Filters, nameof(query));
        var limit = query.Limit ?? Options.DefaultLimit;
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, Options.MaxLimit, nameof(query));
        ArgumentOutOfRangeException.ThrowIfNegative(query.Offset, nameof(query));
        if (query.Text?.Length > SearchQuery.MaxTextLength)
        {
            throw new ArgumentOutOfRangeException(nameof(query), $"The text is longer than {SearchQuery.MaxTextLength} characters.");
        }
        return limit;
    }

    /// <returns>Null when there is nothing to embed.</returns>
    private static string? QueryText(SearchQuery query)
    {
        var parts = new[] { TagText.Normalize(SearchAttributeCatalog.PinnedAttributes(query.Filters)), query.Text?.Trim() }
            .Where(part => !string.IsNullOrEmpty(part))
            .ToList();
        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    /// <returns>Null when the embedder failed: the exact matches are still worth returning.</returns>
    private async Task<Vector?> EmbedAsync(string text, CancellationToken cancellationToken)
    {
        try
        {
            return await embedder.EmbedAsync(text, cancellationToken);
        }
        catch (ProviderException error)
        {
            logger.LogWarning(error, "Semantic matches left out: embedding the query with {Model} failed", embedder.Model);
            return null;
        }
    }

    private static int Depth(long candidates) => (int)Math.Min(VectorSearchOptions.MaxTopK, candidates);

    private static bool IsMatch(SearchFilters filters, AccountCard card) =>
        card.Attributes is { } attributes && SearchAttributeCatalog.Matches(filters, attributes);

    /// <summary>
    /// The nearest accounts that <paramref name="accept"/> takes, nearest first, then by account
    /// id: at least the first <paramref name="wanted"/> of them when there are so many among the
    /// <see cref="VectorSearchOptions.MaxTopK"/> nearest. The candidates are widened until those
    /// are settled: enough are accepted, and the last one wanted is strictly nearer than the
    /// farthest candidate fetched, so that accounts at the same distance (same tags, same
    /// embedding) are all fetched and ordered by id the same way on every page.
    /// </summary>
    /// <param name="candidates">How many to fetch at first.</param>
    /// <param name="filters">
    /// What every candidate must satisfy, in the vector query itself: its iterative index scan
    /// walks on past accounts that fail them instead of fetching them to be discarded here.
    /// </param>
    private async Task<List<Hit>> NearestAcceptedAsync(
        Vector embedding, long wanted, long candidates, string? excludeAccountId, AssetType? assetType,
        SearchFilters filters, Func<AccountCard, bool> accept, CancellationToken cancellationToken)
    {
        var topK = Depth(candidates);
        while (true)
        {
            var hits = await NearestAsync(embedding, topK, excludeAccountId, assetType, filters, cancellationToken);
            var cards = await reads.GetAccountCardsAsync([.. hits.Select(h => h.AccountId)], cancellationToken: cancellationToken);
            var accepted = hits
                .Where(h => cards.TryGetValue(h.AccountId, out var card) && accept(card))
                .Select(h => h with { Card = cards[h.AccountId] })
                .ToList();
            // Fewer hits than asked for: the rest of the index is beyond the distance limit.
            var exhausted = hits.Count < topK || topK == VectorSearchOptions.MaxTopK;
            if (exhausted || (accepted.Count >= wanted && accepted[(int)wanted - 1].Distance < hits[^1].Distance))
            {
                return accepted;
            }
            topK = Depth(topK * 4L);
        }
    }

    private async Task<IReadOnlyList<Hit>> NearestAsync(
        Vector embedding, int topK, string? excludeAccountId, AssetType? assetType, SearchFilters filters, CancellationToken cancellationToken)
    {
        var opts = new VectorSearchOptions
        {
            TopK = topK,
            MaxDistance = Options.MaxDistance,
            EfSearch = Options.EfSearch,
            ExcludeAccountId = excludeAccountId,
            Filters = filters,
        };
        return assetType switch
        {
            AssetType.Image => [.. (await vectors.VectorSearchWithImageAssetsAsync(embedding, opts, cancellationToken))
                .Select(h => new Hit(h.AccountId, h.Distance, [.. h.Assets.Select(a => Link(a.AssetId, a.ContentUrl))]))],
            AssetType.Voice => [.. (await vectors.VectorSearchWithVoiceAssetsAsync(embedding, opts, cancellationToken))
                .Select(h => new Hit(h.AccountId, h.Distance, [.. h.Assets.Select(a => Link(a.AssetId, a.VoiceSampleUrl))]))],
            _ => [.. (await vectors.VectorSearchAsync(embedding, opts, cancellationToken)).Select(h => new Hit(h.AccountId, h.Distance, null))],
        };
    }

    /// <summary>The results of the exact, then the partial matches, each with its images or voice samples when asked for.</summary>
    private async Task<List<SearchResult>> AttributeResultsAsync(
        IReadOnlyList<LikenessSearchRow> exactRows, IReadOnlyList<LikenessSearchRow> partialRows, SearchFilters filters, AssetType? assetType,
        CancellationToken cancellationToken)
    {
        if (exactRows.Count + partialRows.Count == 0)
        {
            return [];
        }
        var ids = exactRows.Concat(partialRows).Select(r => r.AccountId).ToList();
        var cards = await reads.GetAccountCardsAsync(ids, withAttributes: false, cancellationToken);
        var assets = assetType switch
        {
            AssetType.Image => (await reads.GetImageAssetsAsync(ids, cancellationToken))
                .ToDictionary(p => p.Key, p => p.Value.Select(a => Link(a.AssetId, a.ContentUrl)).ToList()),
            AssetType.Voice => (await reads.GetVoiceSamplesAsync(ids, cancellationToken))
                .ToDictionary(p => p.Key, p => p.Value.Select(a => Link(a.AssetId, a.VoiceSampleUrl)).ToList()),
            _ => null,
        };
        SearchResult Of(LikenessSearchRow row, string match) =>
            Result(cards[row.AccountId], row.Attributes, match, null, assets is null ? null : assets.GetValueOrDefault(row.AccountId) ?? [], assetType);
        // An account deleted between the two queries is left out rather than shown half.
        return [
            .. exactRows.Where(r => cards.ContainsKey(r.AccountId)).Select(r => Of(r, SearchMatch.Exact)),
            .. partialRows.Where(r => cards.ContainsKey(r.AccountId)).Select(r => Explained(Of(r, SearchMatch.Partial), filters)),
        ];
    }

    private SearchResult SemanticResult(Hit hit, SearchFilters filters, AssetType? assetType) =>
        Explained(Result(hit.Card!, hit.Card!.Attributes ?? new SearchAttributes(), SearchMatch.Semantic, hit.Distance, hit.Assets, assetType), filters);

    /// <summary>The result with the filtered attributes it satisfies and those it does not.</summary>
    private static SearchResult Explained(SearchResult result, SearchFilters filters)
    {
        var asked = SearchAttributeCatalog.All.Where(a => a.IsFiltered(filters)).ToLookup(a => a.Matches(filters, result.Attributes), a => a.Name);
        return result with { Matched = [.. asked[true]], Unmatched = [.. asked[false]] };
    }

    private SearchResult Result(AccountCard card, SearchAttributes attributes, string match, double? distance, IReadOnlyList<MediaLink>? assets, AssetType? assetType) => new(
        card.Id,
        card.Slug,
        card.DisplayName,
        card.ImageUrl is { } image ? MediaUrl(image) : null,
        match,
        distance,
        attributes.NumberOfFollowers,
        attributes.PrimaryPlatform,
        attributes.IsVerified,
        attributes,
        assetType == AssetType.Image ? assets : null,
        assetType == AssetType.Voice ? assets : null);

    private MediaLink Link(string assetId, string filename) => new(assetId, MediaUrl(filename));

    private string MediaUrl(string filename) => Options.MediaUrlPrefix + Uri.EscapeDataString(filename);

    private async Task<long> PoolSizeAsync(string accountId, SearchFilters filters, CancellationToken cancellationToken)
    {
        var matching = (await exact.SearchAsync(filters, 1, 0, [], cancellationToken)).Total;
        var own = await exact.AttributesOfAsync(accountId, cancellationToken);
        return own is not null && SearchAttributeCatalog.Matches(filters, own) ? matching - 1 : matching;
    }

    /// <summary>The attributes <see cref="SearchQuery.Facets"/> names, in catalogue order.</summary>
    private static List<DiscreteAttribute> Facets(SearchQuery query)
    {
        if (query.Facets is not { } names)
        {
            return [];
        }
        if (names.FirstOrDefault(name => SearchAttributeCatalog.Find(name) is not DiscreteAttribute) is { } unknown)
        {
            throw new ArgumentOutOfRangeException(nameof(query), unknown, "Not an attribute with facets (an enum or boolean).");
        }
        return [.. SearchAttributeCatalog.Discrete.Where(a => names.Contains(a.Name))];
    }

    /// <param name="Assets">The images or voice samples, when an asset type was asked for.</param>
    private sealed record Hit(string AccountId, double Distance, IReadOnlyList<MediaLink>? Assets)
    {
        public AccountCard? Card { get; init; }
    }
}
