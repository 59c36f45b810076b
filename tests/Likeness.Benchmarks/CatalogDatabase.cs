using System.Diagnostics;
using Likeness.Shared.Data;
using Likeness.Shared.Providers;
using Likeness.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;

namespace Likeness.Benchmarks;

/// <summary>
/// A private, migrated database holding <see cref="Accounts"/> catalogue accounts, loaded with
/// binary COPY and indexed the way the migrations index it. Dropped when disposed.
/// </summary>
internal sealed class CatalogDatabase : IAsyncDisposable
{
    /// <summary>Accounts per COPY transaction; two load at once, one per core.</summary>
    private const int ChunkSize = 2_000;

    /// <summary>
    /// Queue events loaded as history (COMPLETED), for the primary-key baseline over HTTP
    /// (<c>GET /api/likeness/queue/{id}</c>).
    /// </summary>
    public const int HistoryEvents = 1_000;

    // The tables the catalogue fills; their plain indexes are dropped for the load and rebuilt after it.
    private static readonly string[] Tables = ["account", "ip_terms", "likeness_assets", "likeness_search", "likeness_search_vector", "likeness_need_indexing_queue"];

    private readonly TestDatabase database;
    private readonly ServiceProvider appServices;

    private CatalogDatabase(TestDatabase database, int accounts)
    {
        this.database = database;
        Accounts = accounts;
        appServices = AppServices(database.ConnectionString);
    }

    /// <summary>The database services as the app registers them, for a data source built exactly like the app's.</summary>
    public static ServiceProvider AppServices(string connectionString)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Likeness"] = connectionString })
            .Build();
        return new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLikenessDatabase(configuration).BuildServiceProvider();
    }

    public int Accounts { get; }

    public string ConnectionString => database.ConnectionString;

    /// <summary>A plain data source (Npgsql's defaults), for loading and for the experiments.</summary>
    public NpgsqlDataSource DataSource => database.DataSource;

    /// <summary>The data source exactly as the app builds it (<see cref="DatabaseServiceCollectionExtensions.AddLikenessDatabase"/>), for the SQL-level measurements.</summary>
    public NpgsqlDataSource AppDataSource => appServices.GetRequiredService<NpgsqlDataSource>();

    public static async Task<(CatalogDatabase Database, LoadReport Report)> CreateAsync(int accounts, CancellationToken cancellationToken)
    {
        var database = new CatalogDatabase(await TestDatabase.CreateAsync(cancellationToken), accounts);
        try
        {
            return (database, await database.LoadAsync(cancellationToken));
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await appServices.DisposeAsync();
        await database.DisposeAsync();
    }

    private async Task<LoadReport> LoadAsync(CancellationToken cancellationToken)
    {
        var indexes = await DropIndexesAsync(cancellationToken);

        var clock = Stopwatch.StartNew();
        var chunks = Enumerable.Range(0, (Accounts + ChunkSize - 1) / ChunkSize);
        var rows = new RowCounts();
        var generation = 0L;
        await Parallel.ForEachAsync(
            chunks,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (chunk, token) =>
            {
                var started = Stopwatch.GetTimestamp();
                var first = chunk * ChunkSize;
                var accounts = Enumerable.Range(first, Math.Min(ChunkSize, Accounts - first)).Select(Catalog.Generate).ToList();
                Interlocked.Add(ref generation, Stopwatch.GetElapsedTime(started).Ticks);
                await CopyAsync(accounts, rows, token);
            });
        await ExecuteAsync($"""
            INSERT INTO likeness_need_indexing_queue (id, account_id, element_type, status)
            SELECT 'history-' || (row_number() OVER () - 1), id, 'SOCIAL_DATA', 'COMPLETED' FROM (SELECT id FROM account LIMIT {HistoryEvents}) a
            """, cancellationToken);
        var load = clock.Elapsed;

        var builds = new List<IndexBuild>();
        foreach (var (name, definition) in indexes)
        {
            var build = Stopwatch.StartNew();
            // The HNSW graph must fit in maintenance_work_mem or the build slows down many times over.
            await ExecuteAsync($"SET maintenance_work_mem = '2GB'; {definition}", cancellationToken);
            builds.Add(new IndexBuild(name, build.Elapsed));
        }
        var analyze = Stopwatch.StartNew();
        await ExecuteAsync($"VACUUM ANALYZE {string.Join(", ", Tables)}", cancellationToken);
        builds.Add(new IndexBuild("VACUUM ANALYZE", analyze.Elapsed));

        return new LoadReport(Accounts, load, TimeSpan.FromTicks(generation), rows, builds, await SizesAsync(cancellationToken));
    }

    /// <summary>The current definition of <paramref name="indexName"/> (for dropping it in an experiment and putting it back).</summary>
    public async Task<string?> IndexDefinitionAsync(string indexName, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand("SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND indexname = $1");
        command.Parameters.Add(new() { Value = indexName });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<T> ScalarAsync<T>(string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        command.CommandTimeout = 0;
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Drops the plain indexes (not those behind keys and unique constraints) and returns their definitions.</summary>
    private async Task<List<(string Name, string Definition)>> DropIndexesAsync(CancellationToken cancellationToken)
    {
        var indexes = new List<(string, string)>();
        await using (var command = DataSource.CreateCommand("""
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.indexname))::regclass)
            ORDER BY i.tablename, i.indexname
            """))
        {
            command.Parameters.Add(new() { Value = Tables });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }
        foreach (var (name, _) in indexes)
        {
            await ExecuteAsync($"DROP INDEX {name}", cancellationToken);
        }
        return indexes;
    }

    private async Task CopyAsync(List<CatalogAccount> accounts, RowCounts rows, CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Accounts first: the other tables' foreign keys are checked against them.
        var imageUrls = accounts.ToDictionary(a => a.Id, a => MediaFilename.Create($"{a.Slug}-photo-1.png"));
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY account (id, slug, display_name, image_url, description) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var account in accounts)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(account.Id, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(account.Slug, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(account.Profile.DisplayName, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(imageUrls[account.Id], NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(account.Profile.Description, NpgsqlDbType.Text, cancellationToken);
            }
            Interlocked.Add(ref rows.Accounts, (long)await copy.CompleteAsync(cancellationToken));
        }

        // Enum columns take their labels as text: binary enum values are the label's bytes.
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY ip_terms (id, account_id, type, status) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var account in accounts)
            {
                for (var i = 0; i < account.Profile.Terms.Count; i++)
                {
                    var term = account.Profile.Terms[i];
                    await copy.StartRowAsync(cancellationToken);
                    await copy.WriteAsync($"{account.Id}-t{i}", NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(account.Id, NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(DbEnum<IpTermType>.ToLabel(term.Type), NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(DbEnum<IpTermStatus>.ToLabel(term.Status), NpgsqlDbType.Text, cancellationToken);
                }
            }
            Interlocked.Add(ref rows.IpTerms, (long)await copy.CompleteAsync(cancellationToken));
        }

        // Every file the catalogue names, registered as COMPLETE: search shows only servable media.
        var files = new HashSet<string>(imageUrls.Values);
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY likeness_assets (id, account_id, type, content_url, search_tags, voice_sample_url) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var account in accounts)
            {
                var sample = account.Profile.HasApprovedVoiceOver && account.Profile.VoiceTags.Count > 0
                    ? MediaFilename.Create($"voice-sample-{account.Slug}.wav")
                    : null;
                var assets = account.Profile.ImageTags.Select((tags, i) => (Type: AssetType.Image, Tags: tags, Url: i == 0 ? imageUrls[account.Id] : MediaFilename.Create($"{account.Slug}-photo-{i + 1}.png"), Sample: (string?)null))
                    .Concat(account.Profile.VoiceTags.Select((tags, i) => (Type: AssetType.Voice, Tags: tags, Url: MediaFilename.Create($"{account.Slug}-voice-{i + 1}.wav"), Sample: sample)));
                var n = 0;
                foreach (var asset in assets)
                {
                    files.Add(asset.Url);
                    if (asset.Sample is not null)
                    {
                        files.Add(asset.Sample);
                    }
                    await copy.StartRowAsync(cancellationToken);
                    await copy.WriteAsync($"{account.Id}-a{n++}", NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(account.Id, NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(DbEnum<AssetType>.ToLabel(asset.Type), NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(asset.Url, NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(Catalog.TagsJson(asset.Tags), NpgsqlDbType.Jsonb, cancellationToken);
                    await WriteNullableAsync(copy, asset.Sample, NpgsqlDbType.Text, cancellationToken);
                }
            }
            Interlocked.Add(ref rows.Assets, (long)await copy.CompleteAsync(cancellationToken));
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY media (id, filename, s3_key, s3_bucket, content_type, status) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var file in files)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync("m-" + file, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(file, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(file, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync("media", NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(file.EndsWith(".wav", StringComparison.Ordinal) ? "audio/wav" : "image/png", NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(DbEnum<MediaStatus>.ToLabel(MediaStatus.Complete), NpgsqlDbType.Text, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            $"COPY likeness_search (id, account_id, {string.Join(", ", SearchColumns.All.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var account in accounts)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(account.Id + "-s", NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(account.Id, NpgsqlDbType.Text, cancellationToken);
                foreach (var column in SearchColumns.All)
                {
                    await WriteNullableAsync(copy, column.Value(account.Attributes), column.Type, cancellationToken);
                }
            }
            Interlocked.Add(ref rows.SearchRows, (long)await copy.CompleteAsync(cancellationToken));
        }

        // Npgsql 10 has no vector type without the Pgvector plugin, but binary COPY only needs the
        // bytes of the column's wire format: they go out as bytea and the server's vector_recv reads them.
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY likeness_search_vector (account_id, content, embedding, embedding_model) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var account in accounts)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(account.Id, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(account.Content, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(account.Embedding, cancellationToken);
                // Semantic search compares only vectors of the configured model: the app's, offline.
                await copy.WriteAsync(OfflineEmbedder.ModelName, NpgsqlDbType.Text, cancellationToken);
            }
            Interlocked.Add(ref rows.Vectors, (long)await copy.CompleteAsync(cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter copy, object? value, NpgsqlDbType type, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            await copy.WriteNullAsync(cancellationToken);
        }
        else
        {
            await copy.WriteAsync(value, type, cancellationToken);
        }
    }

    private async Task<List<RelationSize>> SizesAsync(CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand("""
            SELECT c.relname, CASE c.relkind WHEN 'i' THEN 'index' ELSE 'table' END,
                   CASE c.relkind WHEN 'i' THEN (SELECT t.relname FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid WHERE x.indexrelid = c.oid) ELSE c.relname END,
                   pg_relation_size(c.oid),
                   CASE c.relkind WHEN 'r' THEN coalesce(pg_total_relation_size(c.reltoastrelid), 0) ELSE 0 END,
                   c.reltuples::bigint
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i')
              AND (c.relkind = 'r' AND c.relname = ANY($1)
                   OR c.relkind = 'i' AND EXISTS (SELECT 1 FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid WHERE x.indexrelid = c.oid AND t.relname = ANY($1)))
            ORDER BY 3, 2 DESC, 1
            """);
        command.Parameters.Add(new() { Value = Tables });
        var sizes = new List<RelationSize>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            sizes.Add(new RelationSize(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5)));
        }
        return sizes;
    }

    internal sealed class RowCounts
    {
        public long Accounts, IpTerms, Assets, SearchRows, Vectors;
    }
}

internal sealed record IndexBuild(string Name, TimeSpan Elapsed);

/// <param name="Bytes">The relation's main fork.</param>
/// <param name="ToastBytes">For tables: the TOAST table with its index (where 1536-dimension vectors live).</param>
internal sealed record RelationSize(string Name, string Kind, string Table, long Bytes, long ToastBytes, long Rows);

/// <param name="Generation">CPU time spent generating and embedding accounts (summed over the loaders).</param>
internal sealed record LoadReport(
    int Accounts,
    TimeSpan Load,
    TimeSpan Generation,
    CatalogDatabase.RowCounts Rows,
    IReadOnlyList<IndexBuild> IndexBuilds,
    IReadOnlyList<RelationSize> Sizes);
