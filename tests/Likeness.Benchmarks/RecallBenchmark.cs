using System.Diagnostics;
using System.Globalization;
using Likeness.Shared.Data;
using Likeness.Shared.Indexing;
using Npgsql;

using Pgvector;

namespace Likeness.Benchmarks;

/// <summary>
/// recall@20 of the vector path (the app's HNSW query, <see cref="LikenessSearchVectorAccess.VectorSearchAsync(Vector, VectorSearchOptions, CancellationToken)"/>)
/// against an exact nearest-neighbour search (sequential scan, no index) for the same queries,
/// at several <c>hnsw.ef_search</c> values, and the same for an HNSW index over
/// <c>halfvec</c> (half-precision) built for the experiment and dropped after it.
/// </summary>
/// <remarks>
/// Half the queries are accounts' own embeddings (lookalike, the account left out), half are
/// casting briefs: three attributes of a random account in the canonical tag text. A hit counts
/// as correct when it is no farther than the exact 20th nearest, so accounts tied at the same
/// distance (same tags) are interchangeable.
/// </remarks>
internal static class RecallBenchmark
{
    public const int K = 20;

    public static readonly int[] EfSearchValues = [40, 100, 200, 400, 800, VectorSearchOptions.MaxEfSearch];

    private const double Tie = 1e-6;

    private const string HalfvecIndex = "bench_likeness_search_vector_embedding_halfvec_idx";

    public const int LoadClients = 8;

    private const string VectorIndex = "likeness_search_vector_embedding_idx";

    /// <param name="builds">
    /// HNSW build parameters to try after the index as migrated: each rebuilds the app's index with
    /// them and measures the same ef_search curve. The index is left as the last of them built it,
    /// so only a caller that drops the database afterwards passes any.
    /// </param>
    /// <param name="halfvec">Whether to measure the halfvec index too (its build takes minutes at 100,000).</param>
    public static async Task<RecallReport> RunAsync(
        CatalogDatabase database, int queryCount, LoadSettings settings, CancellationToken cancellationToken,
        IReadOnlyList<HnswBuild>? builds = null, bool halfvec = true)
    {
        var queries = Queries(database.Accounts, queryCount);
        var vectors = new LikenessSearchVectorAccess(database.DataSource);

        var exact = new List<Neighbours>();
        var exactTimes = new List<double>();
        foreach (var query in queries)
        {
            var clock = Stopwatch.StartNew();
            exact.Add(await ExactAsync(database.DataSource, query, cancellationToken));
            exactTimes.Add(clock.Elapsed.TotalMilliseconds);
        }
        var exactStats = LatencyStats.From(1, exactTimes, 0, exactTimes.Sum() / 1000);
        Console.WriteLine($"  exact scan p50={exactStats.P50:0.0} ms p95={exactStats.P95:0.0} ms");

        var migrated = await database.IndexDefinitionAsync(VectorIndex, cancellationToken);
        Console.WriteLine($"  index as migrated: {migrated}");
        var rows = await CurveAsync(database, "vector", queries, exact, vectors, cancellationToken);

        // Both indexes under load, the index forced (the planner may prefer a scan on a small
        // catalogue, see the plan column): whether half-size index pages, fewer shared buffers to
        // cycle through, pay off when several queries compete.
        var vectorLoad = await LoadTest.RunAsync(LoadClients, settings, async (random, token) =>
        {
            await NearestByIndexAsync(database.DataSource, queries[random.Next(queries.Count)], VectorSearchOptions.DefaultEfSearch, FullPrecision, token);
            return true;
        }, cancellationToken);
        Console.WriteLine($"  vector at {LoadClients} clients: p50={vectorLoad.P50:0.00} p95={vectorLoad.P95:0.00} ms {vectorLoad.Throughput:0}/s");

        var curves = new List<BuildCurve>();
        foreach (var parameters in builds ?? [])
        {
            var rebuild = Stopwatch.StartNew();
            await database.ExecuteAsync(
                $"SET maintenance_work_mem = '2GB'; DROP INDEX {VectorIndex}; CREATE INDEX {VectorIndex} ON likeness_search_vector USING hnsw (embedding vector_cosine_ops) WITH (m = {parameters.M}, ef_construction = {parameters.EfConstruction}); ANALYZE likeness_search_vector",
                cancellationToken);
            var elapsed = rebuild.Elapsed;
            var bytes = await database.ScalarAsync<long>($"SELECT pg_relation_size('{VectorIndex}')", cancellationToken);
            Console.WriteLine($"  {parameters}: built in {elapsed.TotalSeconds:0.0} s, {bytes / 1e6:0.0} MB");
            curves.Add(new BuildCurve(parameters, elapsed, bytes, await CurveAsync(database, parameters.ToString(), queries, exact, vectors, cancellationToken)));
        }
        if (!halfvec)
        {
            var notMeasured = new LatencyStats(LoadClients, 0, 0, 0, 0, 0, 0, 0, 0, 0);
            return new RecallReport(queries.Count, exactStats, rows, TimeSpan.Zero, 0, vectorLoad, notMeasured) { Builds = curves };
        }

        var build = Stopwatch.StartNew();
        await database.ExecuteAsync(
            $"SET maintenance_work_mem = '2GB'; CREATE INDEX {HalfvecIndex} ON likeness_search_vector USING hnsw ((embedding::halfvec(1536)) halfvec_cosine_ops); ANALYZE likeness_search_vector",
            cancellationToken);
        var halfvecBuild = build.Elapsed;
        var halfvecBytes = await database.ScalarAsync<long>($"SELECT pg_relation_size('{HalfvecIndex}')", cancellationToken);
        LatencyStats halfvecLoad;
        try
        {
            foreach (var ef in EfSearchValues)
            {
                var halfvecPlan = await PlanAsync(database.DataSource, ef, HalfPrecision, queries[0], cancellationToken);
                rows.Add(await MeasureAsync($"halfvec, ef_search={ef}", ef, halfvecPlan, queries, exact,
                    query => NearestByIndexAsync(database.DataSource, query, ef, HalfPrecision, cancellationToken, forceIndex: false)));
                Console.WriteLine($"  {rows[^1].Name}: recall {rows[^1].Recall:0.000} p50={rows[^1].Latency.P50:0.00} ms");
            }
            halfvecLoad = await LoadTest.RunAsync(LoadClients, settings, async (random, token) =>
            {
                await NearestByIndexAsync(database.DataSource, queries[random.Next(queries.Count)], VectorSearchOptions.DefaultEfSearch, HalfPrecision, token);
                return true;
            }, cancellationToken);
            Console.WriteLine($"  halfvec at {LoadClients} clients: p50={halfvecLoad.P50:0.00} p95={halfvecLoad.P95:0.00} ms {halfvecLoad.Throughput:0}/s");
        }
        finally
        {
            await database.ExecuteAsync($"DROP INDEX {HalfvecIndex}", CancellationToken.None);
        }
        return new RecallReport(queries.Count, exactStats, rows, halfvecBuild, halfvecBytes, vectorLoad, halfvecLoad) { Builds = curves };
    }

    /// <summary>The app's query (<see cref="LikenessSearchVectorAccess.VectorSearchAsync(Vector, VectorSearchOptions, CancellationToken)"/>) at every ef_search of <see cref="EfSearchValues"/>.</summary>
    private static async Task<List<RecallRow>> CurveAsync(
        CatalogDatabase database, string index, List<VectorQuery> queries, List<Neighbours> exact, LikenessSearchVectorAccess vectors, CancellationToken cancellationToken)
    {
        var rows = new List<RecallRow>();
        foreach (var ef in EfSearchValues)
        {
            var plan = await PlanAsync(database.DataSource, ef, FullPrecision, queries[0], cancellationToken);
            rows.Add(await MeasureAsync($"{index}, ef_search={ef}", ef, plan, queries, exact, async query =>
            {
                var hits = await vectors.VectorSearchAsync(query.Embedding, new VectorSearchOptions
                {
                    TopK = K,
                    MaxDistance = 2,
                    EfSearch = ef,
                    ExcludeAccountId = query.ExcludeAccountId,
                }, cancellationToken);
                return [.. hits.Select(h => h.Distance)];
            }));
            Console.WriteLine($"  {rows[^1].Name}: {rows[^1].Plan}, recall {rows[^1].Recall:0.000} p50={rows[^1].Latency.P50:0.00} ms p95={rows[^1].Latency.P95:0.00} ms");
        }
        return rows;
    }

    /// <summary>
    /// The chosen point of a curve: the lowest ef_search that reaches recall 0.95 through the
    /// index (the cheapest that meets the target), or null when none does.
    /// </summary>
    public static RecallRow? Chosen(IReadOnlyList<RecallRow> curve) =>
        curve.Where(r => r.Plan == "HNSW index" && r.Recall >= 0.95).MinBy(r => r.EfSearch);

    private static async Task<RecallRow> MeasureAsync(
        string name, int ef, string plan, List<VectorQuery> queries, List<Neighbours> exact, Func<VectorQuery, Task<double[]>> search)
    {
        var times = new List<double>();
        var found = 0.0;
        for (var i = 0; i < queries.Count; i++)
        {
            var clock = Stopwatch.StartNew();
            var distances = await search(queries[i]);
            times.Add(clock.Elapsed.TotalMilliseconds);
            var bound = exact[i].Distances[^1] + Tie;
            found += (double)Math.Min(K, distances.Count(d => d <= bound)) / Math.Min(K, exact[i].Distances.Length);
        }
        return new RecallRow(name, ef, plan, found / queries.Count, LatencyStats.From(1, times, 0, times.Sum() / 1000));
    }

    private static List<VectorQuery> Queries(int accounts, int count)
    {
        var random = new Random(20);
        var queries = new List<VectorQuery>();
        for (var i = 0; i < count; i++)
        {
            var account = Catalog.Generate(random.Next(accounts));
            if (i % 2 == 0)
            {
                queries.Add(new VectorQuery(account.Embedding, account.Id));
                continue;
            }
            // Three of the account's attributes: what a casting brief pins.
            var columns = SearchColumns.All.Where(c => c.Value(account.Attributes) is not null).OrderBy(_ => random.Next()).Take(3).Select(c => c.Name).ToHashSet();
            var brief = Keep(account.Attributes, columns);
            queries.Add(new VectorQuery(Catalog.Embed(TagText.Normalize(brief)), null));
        }
        return queries;
    }

    private static SearchAttributes Keep(SearchAttributes all, HashSet<string> columns)
    {
        var kept = new SearchAttributes();
        foreach (var property in typeof(SearchAttributes).GetProperties())
        {
            if (columns.Contains(System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name)))
            {
                property.SetValue(kept, property.GetValue(all));
            }
        }
        return kept;
    }

    /// <summary>The true nearest: no index may be used, so PostgreSQL scans and sorts every embedding.</summary>
    private static async Task<Neighbours> ExactAsync(NpgsqlDataSource dataSource, VectorQuery query, CancellationToken cancellationToken)
    {
        var distances = await ReadDistancesAsync(dataSource, """
            SELECT set_config('enable_indexscan', 'off', true), set_config('enable_bitmapscan', 'off', true)
            """, """
            SELECT embedding <=> $1::vector AS distance FROM likeness_search_vector
            WHERE $2::text IS NULL OR account_id <> $2::text
            ORDER BY distance LIMIT $3
            """, query, cancellationToken);
        return new Neighbours(distances);
    }

    private const string FullPrecision = "embedding <=> $1::vector";

    private const string HalfPrecision = "embedding::halfvec(1536) <=> $1::vector::halfvec(1536)";

    /// <summary>
    /// The app's query shape ordered by <paramref name="distance"/> (full or half precision),
    /// the hits reported at full precision.
    /// </summary>
    /// <param name="forceIndex">Disables sequential scans for the query, so the HNSW index is what is measured.</param>
    private static async Task<double[]> NearestByIndexAsync(
        NpgsqlDataSource dataSource, VectorQuery query, int ef, string distance, CancellationToken cancellationToken, bool forceIndex = true) =>
        await ReadDistancesAsync(dataSource, $"""
            SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true), set_config('hnsw.ef_search', '{ef.ToString(CultureInfo.InvariantCulture)}', true),
                   set_config('enable_seqscan', '{(forceIndex ? "off" : "on")}', true)
            """, $"""
            WITH nearest AS MATERIALIZED (
                SELECT account_id, embedding FROM likeness_search_vector
                WHERE $2::text IS NULL OR account_id <> $2::text
                ORDER BY {distance}
                LIMIT $3)
            SELECT embedding <=> $1::vector AS distance FROM nearest ORDER BY distance
            """, query, cancellationToken);

    /// <summary>Whether the nearest-neighbour query, with the app's settings at this ef_search, uses the HNSW index or scans the table.</summary>
    private static async Task<string> PlanAsync(NpgsqlDataSource dataSource, int ef, string distance, VectorQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var settings = new NpgsqlCommand(LikenessSearchVectorAccess.NearestSettingsSql, connection, transaction)
        {
            Parameters = { new() { Value = ef.ToString(CultureInfo.InvariantCulture) } },
        })
        {
            await settings.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var explain = new NpgsqlCommand($"EXPLAIN SELECT account_id FROM likeness_search_vector ORDER BY {distance} LIMIT {K}", connection, transaction)
        {
            Parameters = { new() { Value = query.Embedding } },
        };
        var plan = new System.Text.StringBuilder();
        await using (var reader = await explain.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                plan.AppendLine(reader.GetString(0));
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return plan.ToString().Contains("Index Scan", StringComparison.Ordinal) ? "HNSW index" : "sequential scan";
    }

    private static async Task<double[]> ReadDistancesAsync(
        NpgsqlDataSource dataSource, string settings, string sql, VectorQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(settings),
                new NpgsqlBatchCommand(sql)
                {
                    Parameters =
                    {
                        new() { Value = query.Embedding },
                        new() { Value = (object?)query.ExcludeAccountId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                        new() { Value = K },
                    },
                },
            },
        };
        var distances = new List<double>();
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                distances.Add(reader.GetDouble(0));
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return [.. distances];
    }

    private sealed record VectorQuery(Vector Embedding, string? ExcludeAccountId);

    private sealed record Neighbours(double[] Distances);
}

/// <param name="Exact">Latency of the exact (sequential scan) search, one client.</param>
/// <param name="VectorLoad">The vector HNSW index (default ef_search, index forced) at <see cref="RecallBenchmark.LoadClients"/> clients.</param>
/// <param name="HalfvecLoad">The same over the halfvec index.</param>
internal sealed record RecallReport(
    int Queries, LatencyStats Exact, IReadOnlyList<RecallRow> Rows, TimeSpan HalfvecBuild, long HalfvecIndexBytes, LatencyStats VectorLoad, LatencyStats HalfvecLoad)
{
    /// <summary>The ef_search curve of each HNSW build tried besides the migrated index.</summary>
    public IReadOnlyList<BuildCurve> Builds { get; init; } = [];
}

/// <summary>HNSW build parameters (pgvector's <c>m</c> and <c>ef_construction</c>).</summary>
internal sealed record HnswBuild(int M, int EfConstruction)
{
    public override string ToString() => $"m={M} ef_construction={EfConstruction}";
}

/// <param name="Bytes">The index's size.</param>
internal sealed record BuildCurve(HnswBuild Build, TimeSpan Elapsed, long Bytes, IReadOnlyList<RecallRow> Rows);

/// <param name="Latency">One client, one query at a time.</param>
/// <param name="Plan">What PostgreSQL's planner chose for the query at this ef_search (pgvector's cost estimate grows with it).</param>
internal sealed record RecallRow(string Name, int EfSearch, string Plan, double Recall, LatencyStats Latency);
