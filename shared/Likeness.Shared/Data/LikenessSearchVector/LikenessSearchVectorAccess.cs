using System.Globalization;
using Likeness.Shared.Providers;
using Npgsql;
using Pgvector;

namespace Likeness.Shared.Data;

/// <summary>
/// Access functions for <c>likeness_search_vector</c>, the embeddings behind the semantic
/// fallback. Vectors travel as pgvector's own <c>vector</c> type (the data source is built with
/// <c>UseVector()</c>).
/// </summary>
/// <remarks>
/// An instance works in one vector space, <see cref="EmbeddingModel"/>: it stamps the vectors it
/// writes with that model, and reads and searches only vectors of it. A vector of another model
/// reads as missing, so the indexer re-embeds it, and it is never compared with this model's.
/// </remarks>
public sealed class LikenessSearchVectorAccess
{
    private readonly NpgsqlDataSource dataSource;

    /// <param name="embeddingModel">The model whose vectors this instance reads and writes (<see cref="IEmbedder.Model"/>).</param>
    public LikenessSearchVectorAccess(NpgsqlDataSource dataSource, string embeddingModel)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentException.ThrowIfNullOrWhiteSpace(embeddingModel);
        this.dataSource = dataSource;
        EmbeddingModel = embeddingModel;
    }

    /// <summary>The vector space of the app's configured embedder; the one dependency injection uses.</summary>
    public LikenessSearchVectorAccess(NpgsqlDataSource dataSource, IEmbedder embedder)
        : this(dataSource, (embedder ?? throw new ArgumentNullException(nameof(embedder))).Model)
    {
    }

    /// <summary>The vector space of the embedder the app uses when no AI endpoint is configured.</summary>
    public LikenessSearchVectorAccess(NpgsqlDataSource dataSource)
        : this(dataSource, OfflineEmbedder.ModelName)
    {
    }

    public string EmbeddingModel { get; }

    // Only files the media proxy serves: an asset whose media row is still uploading, or was
    // withdrawn, would link to a 404.
    private const string ImageAssets = """
        SELECT coalesce(array_agg(a.id ORDER BY a.created_at, a.id), '{}'),
               coalesce(array_agg(a.content_url ORDER BY a.created_at, a.id), '{}')
        FROM likeness_assets a
        JOIN media m ON m.filename = a.content_url AND m.status = 'COMPLETE'
        WHERE a.account_id = n.account_id AND a.type = 'IMAGE'
        """;

    private const string SampledVoiceAssets = """
        SELECT coalesce(array_agg(a.id ORDER BY a.created_at, a.id), '{}'),
               coalesce(array_agg(a.voice_sample_url ORDER BY a.created_at, a.id), '{}')
        FROM likeness_assets a
        JOIN media m ON m.filename = a.voice_sample_url AND m.status = 'COMPLETE'
        WHERE a.account_id = n.account_id AND a.type = 'VOICE'
        """;

    // Only accounts whose voice may be licensed and that have a servable sample to play.
    private const string VoiceCandidates = """
        EXISTS (SELECT 1 FROM ip_terms t WHERE t.account_id = v.account_id AND t.type = 'VOICE_OVER' AND t.status = 'APPROVED')
        AND EXISTS (
            SELECT 1 FROM likeness_assets a JOIN media m ON m.filename = a.voice_sample_url AND m.status = 'COMPLETE'
            WHERE a.account_id = v.account_id AND a.type = 'VOICE')
        """;

    // The parameters every nearest-neighbour query has before the strict filters' own.
    private const int NearestParameters = 5;

    private const string UpsertSql = """
        INSERT INTO likeness_search_vector (account_id, content, embedding, embedding_model) VALUES ($1, $2, $3, $4)
        ON CONFLICT (account_id) DO UPDATE
        SET content = EXCLUDED.content, embedding = EXCLUDED.embedding, embedding_model = EXCLUDED.embedding_model, updated_at = now()
        """;

    private const string DeleteSql = "DELETE FROM likeness_search_vector WHERE account_id = $1";

    /// <summary>Stores the account's embedding, made by <see cref="EmbeddingModel"/>, replacing the previous one.</summary>
    public async Task VectorUpsertAsync(string accountId, string content, Vector embedding, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.Command(UpsertSql, UpsertParameters(accountId, content, embedding));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary><see cref="VectorUpsertAsync"/> as a statement for a caller's batch.</summary>
    internal NpgsqlBatchCommand VectorUpsertCommand(string accountId, string content, Vector embedding) =>
        Db.BatchCommand(UpsertSql, UpsertParameters(accountId, content, embedding));

    private object?[] UpsertParameters(string accountId, string content, Vector embedding)
    {
        Guard.Id(accountId, nameof(accountId));
        ArgumentNullException.ThrowIfNull(content);
        Embedding.Validate(embedding, nameof(embedding));
        return [accountId, content, embedding, EmbeddingModel];
    }

    /// <summary>
    /// The stored text and embedding, e.g. to skip re-embedding unchanged text or to find lookalikes;
    /// null when there is none of <see cref="EmbeddingModel"/> (a vector of another model is to be re-embedded).
    /// </summary>
    public async Task<LikenessSearchVector?> GetVectorByAccountIdAsync(string accountId, CancellationToken cancellationToken = default)
    {
        Guard.Id(accountId, nameof(accountId));
        await using var command = dataSource.Command(
            "SELECT account_id, content, embedding, embedding_model, created_at, updated_at FROM likeness_search_vector WHERE account_id = $1 AND embedding_model = $2",
            accountId, EmbeddingModel);
        return await command.ReadFirstOrDefaultAsync(
            r => new LikenessSearchVector(
                r.GetString(0), r.GetString(1), r.GetFieldValue<Vector>(2), r.GetString(3),
                r.GetFieldValue<DateTimeOffset>(4), r.GetFieldValue<DateTimeOffset>(5)),
            cancellationToken);
    }

    /// <summary>Vectors made by another model than <see cref="EmbeddingModel"/> (or by an unknown one): left out of search until re-embedded.</summary>
    public async Task<long> CountVectorsOfOtherModelsAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.Command(
            "SELECT count(*) FROM likeness_search_vector WHERE embedding_model IS DISTINCT FROM $1", EmbeddingModel);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The <paramref name="topK"/> accounts nearest to the query within <paramref name="maxDistance"/>, nearest first.</summary>
    public Task<IReadOnlyList<VectorSearchHit>> VectorSearchAsync(Vector queryEmbedding, int topK, double maxDistance, CancellationToken cancellationToken = default)
    {
        ValidateTopK(topK, nameof(topK));
        ValidateMaxDistance(maxDistance, nameof(maxDistance));
        return VectorSearchAsync(queryEmbedding, new VectorSearchOptions { TopK = topK, MaxDistance = maxDistance }, cancellationToken);
    }

    /// <inheritdoc cref="VectorSearchAsync(Vector, int, double, CancellationToken)"/>
    public async Task<IReadOnlyList<VectorSearchHit>> VectorSearchAsync(Vector queryEmbedding, VectorSearchOptions opts, CancellationToken cancellationToken = default) =>
        await SearchAsync(queryEmbedding, opts, candidateFilter: null, assets: null,
            r => new VectorSearchHit(r.GetString(0), r.GetDouble(1)), cancellationToken);

    /// <summary>The nearest accounts, each with its image assets whose media is COMPLETE (possibly none), oldest first.</summary>
    public async Task<IReadOnlyList<VectorSearchHit<ImageAssetRef>>> VectorSearchWithImageAssetsAsync(Vector queryEmbedding, VectorSearchOptions opts, CancellationToken cancellationToken = default) =>
        await SearchAsync(queryEmbedding, opts, candidateFilter: null, ImageAssets,
            r => new VectorSearchHit<ImageAssetRef>(r.GetString(0), r.GetDouble(1), Assets(r, (id, url) => new ImageAssetRef(id, url))),
            cancellationToken);

    /// <summary>
    /// The nearest accounts that have an approved VOICE_OVER term and at least one voice asset
    /// with a rendered sample whose media is COMPLETE, each with those voice assets, oldest first.
    /// </summary>
    public async Task<IReadOnlyList<VectorSearchHit<VoiceAssetRef>>> VectorSearchWithVoiceAssetsAsync(Vector queryEmbedding, VectorSearchOptions opts, CancellationToken cancellationToken = default) =>
        await SearchAsync(queryEmbedding, opts, VoiceCandidates, SampledVoiceAssets,
            r => new VectorSearchHit<VoiceAssetRef>(r.GetString(0), r.GetDouble(1), Assets(r, (id, url) => new VoiceAssetRef(id, url))),
            cancellationToken);

    /// <returns>False when the account had no embedding.</returns>
    public async Task<bool> DeleteFromVectorIndexAsync(string accountId, CancellationToken cancellationToken = default)
    {
        Guard.Id(accountId, nameof(accountId));
        await using var command = dataSource.Command(DeleteSql, accountId);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary><see cref="DeleteFromVectorIndexAsync"/> as a statement for a caller's batch.</summary>
    internal static NpgsqlBatchCommand DeleteFromVectorIndexCommand(string accountId)
    {
        Guard.Id(accountId, nameof(accountId));
        return Db.BatchCommand(DeleteSql, accountId);
    }

    /// <summary>The transaction's settings for the nearest-neighbour query ($1 ef_search, as text), why each is set is said where the query runs.</summary>
    public const string NearestSettingsSql =
        "SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true), set_config('hnsw.ef_search', $1, true), set_config('enable_seqscan', 'off', true)";

    private async Task<List<T>> SearchAsync<T>(
        Vector queryEmbedding,
        VectorSearchOptions opts,
        string? candidateFilter,
        string? assets,
        Func<NpgsqlDataReader, T> map,
        CancellationToken cancellationToken)
    {
        Embedding.Validate(queryEmbedding, nameof(queryEmbedding));
        ArgumentNullException.ThrowIfNull(opts);
        ValidateTopK(opts.TopK, nameof(opts.TopK));
        ValidateMaxDistance(opts.MaxDistance, nameof(opts.MaxDistance));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(opts.EfSearch, nameof(opts.EfSearch));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(opts.EfSearch, VectorSearchOptions.MaxEfSearch, nameof(opts.EfSearch));
        if (opts.ExcludeAccountId is not null)
        {
            Guard.Id(opts.ExcludeAccountId, nameof(opts.ExcludeAccountId));
        }
        SearchFilterSql? strict;
        try
        {
            strict = opts.Filters is null ? null : SearchFilterSql.For(opts.Filters, NearestParameters, "s");
        }
        catch (ArgumentOutOfRangeException error)
        {
            throw new ArgumentOutOfRangeException(nameof(opts.Filters), error.Message);
        }
        var sql = Nearest(candidateFilter, assets, strict is { IsEmpty: false } ? strict.Conditions : null);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The settings go in the query's batch and last only for this transaction
        // (set_config(..., true) is SET LOCAL). Iterative scans let the index keep searching when
        // filters reject its candidates, so filtered queries still fill topK. pgvector's cost
        // estimate grows with ef_search while a scan's cost misses the detoasting of every vector,
        // so from ef_search 200 the planner scanned 100,000 embeddings instead; sequential scans
        // are off (pgvector's own advice), which leaves an index path on the strict filters open
        // for the queries they narrow to a few accounts.
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                Db.BatchCommand(NearestSettingsSql, opts.EfSearch.ToString(CultureInfo.InvariantCulture)),
                Db.BatchCommand(sql, [queryEmbedding, opts.TopK, opts.MaxDistance, Db.Text(opts.ExcludeAccountId), EmbeddingModel, .. strict?.Parameters ?? []]),
            },
        };
        var rows = new List<T>();
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(map(reader));
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return rows;
    }

    /// <summary>
    /// Nearest neighbours ($1 query, $2 topK, $3 maxDistance, $4 account to leave out, $5 the model
    /// the query was embedded with, the only one whose vectors are compared; the strict filters'
    /// values from $6) through the HNSW index. The inner query orders by distance alone so that it
    /// can walk the index; the strict filters (over <c>likeness_search</c>, joined in) and the
    /// candidate filter sit in its WHERE, so an iterative index scan keeps walking until topK rows
    /// pass them instead of handing back only ef_search candidates that then fail. The distance
    /// cut-off is applied outside (pgvector's advice), and the outer ORDER BY restores the exact
    /// order, which relaxed iterative scans do not guarantee.
    /// </summary>
    private static string Nearest(string? candidateFilter, string? assets, string? strictFilters) => $"""
        WITH nearest AS MATERIALIZED (
            SELECT v.account_id, v.embedding <=> $1 AS distance
            FROM likeness_search_vector v{(strictFilters is null ? "" : " JOIN likeness_search s ON s.account_id = v.account_id")}
            WHERE v.embedding_model = $5 AND ($4::text IS NULL OR v.account_id <> $4::text){(candidateFilter is null ? "" : " AND " + candidateFilter)}{(strictFilters is null ? "" : " AND " + strictFilters)}
            ORDER BY distance
            LIMIT $2
        )
        SELECT n.account_id, n.distance{(assets is null ? "" : ", assets.ids, assets.urls")}
        FROM nearest n{(assets is null ? "" : $" CROSS JOIN LATERAL ({assets}) AS assets (ids, urls)")}
        WHERE n.distance <= $3
        ORDER BY n.distance, n.account_id COLLATE "C"
        """;

    private static void ValidateTopK(int topK, string paramName)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topK, paramName);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(topK, VectorSearchOptions.MaxTopK, paramName);
    }

    private static void ValidateMaxDistance(double maxDistance, string paramName)
    {
        if (double.IsNaN(maxDistance) || maxDistance < 0)
        {
            throw new ArgumentOutOfRangeException(paramName, maxDistance, "A cosine distance is a number from 0 to 2.");
        }
    }

    private static T[] Assets<T>(NpgsqlDataReader r, Func<string, string, T> create) =>
        [.. r.GetFieldValue<string[]>(2).Zip(r.GetFieldValue<string[]>(3), create)];
}
