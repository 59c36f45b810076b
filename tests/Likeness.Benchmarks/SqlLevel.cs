using System.Globalization;
using Likeness.Shared.Data;
using Likeness.Shared.Search;
using Npgsql;

using Pgvector;

namespace Likeness.Benchmarks;

/// <summary>
/// The database side of each search request: the access-class calls the search service makes for
/// it (without the page's enrichment queries), with the app's default settings.
/// </summary>
internal sealed class SqlLevel(NpgsqlDataSource dataSource)
{
    private static readonly SearchOptions Defaults = new();

    private readonly LikenessSearchAccess index = new(dataSource);
    private readonly LikenessSearchVectorAccess vectors = new(dataSource);
    private readonly LikenessNeedIndexingQueueAccess queue = new(dataSource);
    private readonly SearchReadAccess reads = new(dataSource);

    public Task ExactAsync(SearchFilters filters, CancellationToken cancellationToken) =>
        index.SearchByFiltersAsync(filters, Defaults.DefaultLimit, 0, cancellationToken);

    /// <summary><see cref="ExactAsync"/> and the facet counts of every enum and boolean attribute, as the SQL path answers <c>facets=all</c>.</summary>
    public async Task ExactWithFacetsAsync(SearchFilters filters, CancellationToken cancellationToken)
    {
        await index.SearchByFiltersAsync(filters, Defaults.DefaultLimit, 0, cancellationToken);
        await index.CountFacetsAsync(filters, SearchAttributeCatalog.Discrete, cancellationToken);
    }

    public Task<IReadOnlyList<VectorSearchHit>> NearestAsync(Vector embedding, string? excludeAccountId, CancellationToken cancellationToken) =>
        vectors.VectorSearchAsync(embedding, new VectorSearchOptions
        {
            TopK = Defaults.DefaultLimit,
            MaxDistance = Defaults.MaxDistance,
            EfSearch = Defaults.EfSearch,
            ExcludeAccountId = excludeAccountId,
        }, cancellationToken);

    public async Task LookalikeAsync(string accountId, CancellationToken cancellationToken)
    {
        var own = await vectors.GetVectorByAccountIdAsync(accountId, cancellationToken)
            ?? throw new InvalidOperationException($"Account {accountId} has no embedding.");
        await NearestAsync(own.Embedding, accountId, cancellationToken);
    }

    /// <summary>
    /// The exact query with its total counted only up to <see cref="CountCap"/> + 1 rows (so a
    /// page can say "more than 1,000"), for the tuning experiment; same page and order otherwise.
    /// </summary>
    public async Task ExactWithCappedCountAsync(IReadOnlyList<(string Condition, object Value)> filters, CancellationToken cancellationToken)
    {
        var where = filters.Count == 0
            ? ""
            : "WHERE " + string.Join(" AND ", filters.Select((f, i) => string.Format(CultureInfo.InvariantCulture, f.Condition, i + 1)));
        var parameters = filters.Select(f => f.Value).ToList();
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command($"SELECT count(*) FROM (SELECT 1 FROM likeness_search {where} LIMIT {CountCap + 1}) capped", parameters));
        batch.BatchCommands.Add(Command(
            $"SELECT {PageColumns} FROM likeness_search {where} ORDER BY number_of_followers DESC NULLS LAST, account_id COLLATE \"C\" LIMIT {Defaults.DefaultLimit}",
            parameters));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        do
        {
            while (await reader.ReadAsync(cancellationToken))
            {
            }
        }
        while (await reader.NextResultAsync(cancellationToken));
    }

    public const int CountCap = 1_000;

    // What LikenessSearchAccess selects for a page: every attribute, enums as text.
    private static readonly string PageColumns =
        $"id, account_id, {string.Join(", ", SearchColumns.All.Select(c => c.Type == NpgsqlTypes.NpgsqlDbType.Text ? c.Name + "::text" : c.Name))}, created_at, updated_at";

    private static NpgsqlBatchCommand Command(string sql, List<object> parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        return command;
    }

    /// <summary>
    /// The semantic part as <c>LikenessSearchService</c> runs it when the index holds at least a
    /// page of accounts within the distance limit: it asks for as many candidates as it wants, so
    /// its "the last one wanted is strictly nearer than the farthest fetched" check cannot pass,
    /// and it widens to four times as many; account cards are read for every candidate.
    /// </summary>
    public async Task SemanticAsTodayAsync(Vector embedding, string? excludeAccountId, CancellationToken cancellationToken)
    {
        var limit = Defaults.DefaultLimit;
        await CardsAsync(await NearestAsync(embedding, excludeAccountId, limit, cancellationToken), cancellationToken);
        await CardsAsync(await NearestAsync(embedding, excludeAccountId, limit * 4, cancellationToken), cancellationToken);
    }

    /// <summary>The proposal: one candidate more than wanted at first, which settles a page in one round.</summary>
    public async Task SemanticProposedAsync(Vector embedding, string? excludeAccountId, CancellationToken cancellationToken) =>
        await CardsAsync(await NearestAsync(embedding, excludeAccountId, Defaults.DefaultLimit + 1, cancellationToken), cancellationToken);

    /// <summary>A page's account cards as <see cref="SearchReadAccess"/> reads them (the attributes through <c>to_jsonb</c>).</summary>
    public Task CardsAsync(IReadOnlyCollection<string> accountIds, CancellationToken cancellationToken) =>
        reads.GetAccountCardsAsync(accountIds, cancellationToken: cancellationToken);

    /// <summary>The proposal: the same cards with the attribute columns selected as columns, as <c>LikenessSearchAccess</c> reads them.</summary>
    public async Task CardsByColumnsAsync(IReadOnlyCollection<string> accountIds, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT a.id, a.slug, a.display_name, a.image_url, {string.Join(", ", SearchColumns.All.Select(c => "s." + c.Name + (c.Type == NpgsqlTypes.NpgsqlDbType.Text ? "::text" : "")))}
            FROM account a LEFT JOIN likeness_search s ON s.account_id = a.id
            WHERE a.id = ANY($1)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = accountIds.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var values = new object[reader.FieldCount];
        while (await reader.ReadAsync(cancellationToken))
        {
            reader.GetValues(values);
        }
    }

    private async Task<List<string>> NearestAsync(Vector embedding, string? excludeAccountId, int topK, CancellationToken cancellationToken) =>
        [.. (await vectors.VectorSearchAsync(embedding, new VectorSearchOptions
        {
            TopK = topK,
            MaxDistance = Defaults.MaxDistance,
            EfSearch = Defaults.EfSearch,
            ExcludeAccountId = excludeAccountId,
        }, cancellationToken)).Select(h => h.AccountId)];

    public Task PrimaryKeyAsync(string eventId, CancellationToken cancellationToken) => queue.GetEventByIdAsync(eventId, cancellationToken);
}
