using Npgsql;

namespace Likeness.Shared.Data;

/// <summary>Access functions for <c>likeness_search</c>, one row of attributes per indexed account.</summary>
public sealed class LikenessSearchAccess(NpgsqlDataSource dataSource)
{
    public const int MaxPageSize = 1000;

    // All SQL below is assembled from the catalogue's fixed column names; values only ever
    // travel as parameters. Enums travel as their text labels, cast to the column's type.
    private static readonly IReadOnlyList<SearchAttribute> AttributeColumns = SearchAttributeCatalog.All;

    private static readonly string Columns =
        $"id, account_id, {string.Join(", ", AttributeColumns.Select(c => c is DiscreteAttribute { DbTypeName: not null } ? c.Column + "::text" : c.Column))}, created_at, updated_at";

    private static readonly string UpsertSql = $"""
        INSERT INTO likeness_search (id, account_id, {string.Join(", ", AttributeColumns.Select(c => c.Column))})
        VALUES ($1, $2, {string.Join(", ", AttributeColumns.Select((c, i) => $"${i + 3}{Cast(c)}"))})
        ON CONFLICT (account_id) DO UPDATE SET
            {string.Join(", ", AttributeColumns.Select(c => $"{c.Column} = EXCLUDED.{c.Column}"))},
            updated_at = now()
        RETURNING {Columns}
        """;

    // Most followed first; account_id in byte order breaks ties the same way on every server.
    private const string ResultOrder = "number_of_followers DESC NULLS LAST, account_id COLLATE \"C\"";
    private const string PageOrder = "ORDER BY " + ResultOrder;

    private const string DeleteSql = "DELETE FROM likeness_search WHERE account_id = $1";

    /// <summary>
    /// Creates the account's row or replaces every attribute of the existing one (an attribute
    /// that is null in <paramref name="data"/> becomes unknown); the row keeps its id.
    /// </summary>
    public async Task<LikenessSearchRow> UpsertSearchIndexAsync(string accountId, SearchAttributes data, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.Command(UpsertSql, UpsertParameters(accountId, data));
        return (await command.ReadFirstOrDefaultAsync(Map, cancellationToken))!;
    }

    /// <summary><see cref="UpsertSearchIndexAsync"/> as a statement for a caller's batch.</summary>
    internal static NpgsqlBatchCommand UpsertSearchIndexCommand(string accountId, SearchAttributes data) =>
        Db.BatchCommand(UpsertSql, UpsertParameters(accountId, data));

    public async Task<LikenessSearchRow?> GetSearchIndexByAccountIdAsync(string accountId, CancellationToken cancellationToken = default)
    {
        Guard.Id(accountId, nameof(accountId));
        await using var command = dataSource.Command($"SELECT {Columns} FROM likeness_search WHERE account_id = $1", accountId);
        return await command.ReadFirstOrDefaultAsync(Map, cancellationToken);
    }

    /// <returns>False when the account had no row.</returns>
    public async Task<bool> DeleteSearchIndexAsync(string accountId, CancellationToken cancellationToken = default)
    {
        Guard.Id(accountId, nameof(accountId));
        await using var command = dataSource.Command(DeleteSql, accountId);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary><see cref="DeleteSearchIndexAsync"/> as a statement for a caller's batch.</summary>
    internal static NpgsqlBatchCommand DeleteSearchIndexCommand(string accountId)
    {
        Guard.Id(accountId, nameof(accountId));
        return Db.BatchCommand(DeleteSql, accountId);
    }

    /// <summary>
    /// The rows matching <paramref name="filters"/> (see <see cref="SearchFilters"/>), most
    /// followed first, with the number of all matching rows.
    /// </summary>
    /// <param name="limit">Page size, 1 to <see cref="MaxPageSize"/>.</param>
    /// <param name="offset">Rows to skip; beyond the last match the page is empty but the total is still counted.</param>
    public async Task<LikenessSearchPage> SearchByFiltersAsync(SearchFilters filters, int limit, int offset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPageSize);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);

        var where = SearchFilterSql.For(filters);
        var values = where.Parameters;

        // Counting separately (not count(*) OVER ()) still yields the total when the page is empty.
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Db.BatchCommand($"SELECT count(*) FROM likeness_search {where.Sql}", [.. values]));
        batch.BatchCommands.Add(Db.BatchCommand(
            $"SELECT {Columns} FROM likeness_search {where.Sql} {PageOrder} LIMIT ${values.Count + 1} OFFSET ${values.Count + 2}",
            [.. values, limit, offset]));
        return await ReadPageAsync(batch, cancellationToken);
    }

    /// <summary>The page of a batch that counts, then selects <see cref="Columns"/>.</summary>
    private static async Task<LikenessSearchPage> ReadPageAsync(NpgsqlBatch batch, CancellationToken cancellationToken)
    {
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken);
        var rows = new List<LikenessSearchRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(Map(reader));
        }
        return new LikenessSearchPage(rows, total);
    }

    /// <summary>
    /// The partial matches of <paramref name="filters"/>: rows that satisfy the filters of the
    /// <paramref name="strict"/> attributes and at least one of the other filtered attributes but
    /// not all of them (so never an exact match), those satisfying most of the others first, then
    /// in the exact search's order; with the number of all partial matches. Fewer than two other
    /// attributes leave no room between none and all, hence no partial match.
    /// </summary>
    /// <param name="limit">Page size, 0 (the total alone) to <see cref="MaxPageSize"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A bad page, or a range with NaN or its minimum above its maximum.</exception>
    public async Task<LikenessSearchPage> SearchPartialAsync(
        SearchFilters filters, IReadOnlyCollection<SearchAttribute> strict, int limit, int offset, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPageSize);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var (required, counted) = SearchAttributeCatalog.PartialSplit(filters, strict);
        var must = new SearchFilterSql();
        foreach (var attribute in required)
        {
            must.Add(attribute, filters);
        }
        var met = new SearchFilterSql(must.Parameters.Count);
        foreach (var attribute in counted)
        {
            met.Add(attribute, filters);
        }
        if (counted.Count < 2)
        {
            return new LikenessSearchPage([], 0);
        }
        List<object?> values = [.. must.Parameters, .. met.Parameters, counted.Count - 1];
        var partial = $"(SELECT *, {met.MetCount} AS met FROM likeness_search {must.Sql}) p WHERE met BETWEEN 1 AND ${values.Count}";

        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Db.BatchCommand($"SELECT count(*) FROM {partial}", [.. values]));
        batch.BatchCommands.Add(Db.BatchCommand(
            $"SELECT {Columns} FROM {partial} ORDER BY met DESC, {ResultOrder} LIMIT ${values.Count + 1} OFFSET ${values.Count + 2}",
            [.. values, limit, offset]));
        return await ReadPageAsync(batch, cancellationToken);
    }

    /// <summary>
    /// For each of <paramref name="attributes"/>, how many rows match every filter except that
    /// attribute's own, per value (the faceted-search rule); values without rows are left out.
    /// One batch of GROUP BY queries; ranges are checked as in <see cref="SearchByFiltersAsync"/>.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>>> CountFacetsAsync(
        SearchFilters filters, IReadOnlyList<DiscreteAttribute> attributes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentNullException.ThrowIfNull(attributes);
        var facets = new Dictionary<string, IReadOnlyDictionary<string, long>>(StringComparer.Ordinal);
        if (attributes.Count == 0)
        {
            return facets;
        }
        await using var batch = dataSource.CreateBatch();
        foreach (var facet in attributes)
        {
            var where = SearchFilterSql.For(facet.WithoutFilter(filters));
            batch.BatchCommands.Add(Db.BatchCommand(
                $"SELECT {facet.Column}::text, count(*) FROM likeness_search {where.Sql} GROUP BY {facet.Column}", [.. where.Parameters]));
        }
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        foreach (var facet in attributes)
        {
            var counts = new long[facet.Labels.Count];
            while (await reader.ReadAsync(cancellationToken))
            {
                if (!reader.IsDBNull(0))
                {
                    counts[facet.OrdinalOfLabel(reader.GetString(0))] = reader.GetInt64(1);
                }
            }
            facets[facet.Name] = SearchFacets.Counts(facet, counts);
            await reader.NextResultAsync(cancellationToken);
        }
        return facets;
    }

    /// <summary>The rows of those of <paramref name="accountIds"/> that have one, in no particular order.</summary>
    public async Task<IReadOnlyList<LikenessSearchRow>> GetSearchIndexByAccountIdsAsync(IReadOnlyCollection<string> accountIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(accountIds);
        if (accountIds.Count == 0)
        {
            return [];
        }
        // A bare array would be taken for the whole parameter list.
        await using var command = dataSource.Command($"SELECT {Columns} FROM likeness_search WHERE account_id = ANY($1)", (object)accountIds.ToArray());
        return await command.ReadAllAsync(Map, cancellationToken);
    }

    /// <summary>Every row, by binary COPY (one round trip, no per-row text parsing): the in-memory read model's full load.</summary>
    public async Task<List<LikenessSearchRow>> ExportAllAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var export = await connection.BeginBinaryExportAsync(
            $"COPY (SELECT {Columns} FROM likeness_search) TO STDOUT (FORMAT BINARY)", cancellationToken);
        var rows = new List<LikenessSearchRow>();
        while (await export.StartRowAsync(cancellationToken) != -1)
        {
            var id = await export.ReadAsync<string>(cancellationToken);
            var accountId = await export.ReadAsync<string>(cancellationToken);
            var attributes = new SearchAttributes();
            foreach (var attribute in AttributeColumns)
            {
                attributes = attribute.WithDbValue(attributes, await ReadValueAsync(export, attribute, cancellationToken));
            }
            var createdAt = await export.ReadAsync<DateTimeOffset>(cancellationToken);
            var updatedAt = await export.ReadAsync<DateTimeOffset>(cancellationToken);
            rows.Add(new LikenessSearchRow(id, accountId, attributes, createdAt, updatedAt));
        }
        return rows;
    }

    /// <summary>A column of <see cref="Columns"/> as <see cref="Map"/> reads it: enums as text, null as null.</summary>
    private static async ValueTask<object?> ReadValueAsync(NpgsqlBinaryExporter export, SearchAttribute attribute, CancellationToken cancellationToken)
    {
        if (export.IsNull)
        {
            await export.SkipAsync(cancellationToken);
            return null;
        }
        // Boxed one by one: a conditional expression would widen every number to double.
        var type = attribute.ValueType;
        if (type.IsEnum)
        {
            return await export.ReadAsync<string>(cancellationToken);
        }
        if (type == typeof(bool))
        {
            return await export.ReadAsync<bool>(cancellationToken);
        }
        if (type == typeof(long))
        {
            return await export.ReadAsync<long>(cancellationToken);
        }
        if (type == typeof(int))
        {
            return await export.ReadAsync<int>(cancellationToken);
        }
        return type == typeof(double)
            ? await export.ReadAsync<double>(cancellationToken)
            : throw new InvalidOperationException($"No binary reader for {attribute.Column} ({type.Name}).");
    }

    private static object?[] UpsertParameters(string accountId, SearchAttributes data)
    {
        Guard.Id(accountId, nameof(accountId));
        ArgumentNullException.ThrowIfNull(data);
        return [NanoId.New(), accountId, .. AttributeColumns.Select(c => c.DbValueOf(data))];
    }

    private static LikenessSearchRow Map(NpgsqlDataReader r)
    {
        var attributes = new SearchAttributes();
        for (var i = 0; i < AttributeColumns.Count; i++)
        {
            attributes = AttributeColumns[i].WithDbValue(attributes, r.IsDBNull(i + 2) ? null : r.GetValue(i + 2));
        }
        var next = AttributeColumns.Count + 2;
        return new LikenessSearchRow(
            r.GetString(0), r.GetString(1), attributes, r.GetFieldValue<DateTimeOffset>(next), r.GetFieldValue<DateTimeOffset>(next + 1));
    }

    private static string Cast(SearchAttribute attribute) =>
        attribute is DiscreteAttribute { DbTypeName: { } type } ? "::" + type : "";
}
