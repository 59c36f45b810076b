using System.Diagnostics;
using Likeness.Shared.Data;
using Likeness.Shared.Indexing;
using Likeness.Shared.Media;
using Likeness.Shared.Providers;
using Likeness.Shared.Storage;
using Likeness.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Likeness.Benchmarks;

/// <summary>
/// Queue throughput: how many events per second ProcessIndexingQueue drains, with a no-op
/// pipeline (the queue's own overhead: claim, discard, complete) and with the real pipeline on
/// the offline embedder, on 1 and 4 workers. Each case runs on a fresh database, optionally with
/// a history of finished events in the queue table, as a long-running queue has.
/// </summary>
internal static class QueueBenchmark
{
    public const string NoOp = "no-op";
    public const string OfflineEmbedder = "offline embedder";

    public static readonly int[] Workers = [1, 4];

    /// <param name="history">COMPLETED events in the queue table before the run.</param>
    /// <param name="connectionOptions">Appended to the connection string, e.g. a server setting as <c>Options=-c name=value</c>.</param>
    public static async Task<List<QueueResult>> RunAsync(
        int events, IReadOnlyList<string> pipelines, IReadOnlyList<int> workerCounts, int history, string? connectionOptions, CancellationToken cancellationToken)
    {
        var results = new List<QueueResult>();
        foreach (var pipeline in pipelines)
        {
            foreach (var workers in workerCounts)
            {
                var (seconds, drained, commits) = await MeasureAsync(pipeline, workers, events, history, connectionOptions, cancellationToken);
                results.Add(new QueueResult(pipeline, workers, history, connectionOptions, drained, seconds) { Commits = commits });
                Console.WriteLine($"| {pipeline} | {workers} | {history} | {connectionOptions} | {drained} | {seconds:0.00} | {drained / seconds:0} | {(double)commits / drained:0.00} |");
            }
        }
        return results;
    }

    private static async Task<(double Seconds, int Drained, long Commits)> MeasureAsync(
        string pipeline, int workers, int events, int history, string? connectionOptions, CancellationToken cancellationToken)
    {
        await using var db = await TestDatabase.CreateAsync(cancellationToken);
        await LoadAsync(db.DataSource, events, history, cancellationToken);
        await using var services = BuildServices(db.ConnectionString + (connectionOptions is null ? "" : ";" + connectionOptions), workers, events, noOp: pipeline == NoOp);
        var processor = services.GetRequiredService<IndexingQueueProcessor>();

        var commitsBefore = await CommitsAsync(db.DataSource, cancellationToken);
        var clock = Stopwatch.StartNew();
        var drained = 0;
        while (true)
        {
            var run = await processor.ProcessAsync(cancellationToken);
            if (run.Completed + run.Failed + run.Retried == 0)
            {
                break;
            }
            drained += run.Completed;
        }
        var seconds = clock.Elapsed.TotalSeconds;
        // Closing the app's connections makes their backends publish their counts, which an idle
        // backend may otherwise hold back for ten seconds.
        await services.DisposeAsync();
        return (seconds, drained, await CommitsAsync(db.DataSource, cancellationToken) - commitsBefore);
    }

    /// <summary>
    /// Transactions committed in the benchmark's own database so far: what the drain cost in
    /// commits does not depend on how busy the machine is, unlike its events per second.
    /// </summary>
    private static async Task<long> CommitsAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        // Backends publish their counts as they exit or, while busy, every second.
        await Task.Delay(TimeSpan.FromSeconds(1.5), cancellationToken);
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_stat_clear_snapshot()"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.GetInt64(0);
    }

    /// <summary>
    /// One indexable account (name, image, approved term, tagged asset) and one PENDING event
    /// each, after <paramref name="history"/> COMPLETED events of the same accounts.
    /// </summary>
    private static async Task LoadAsync(NpgsqlDataSource dataSource, int count, int history, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH accounts AS (
              INSERT INTO account (id, slug, display_name, image_url)
              SELECT 'acc' || i, 'talent-' || i, 'Talent ' || i, 'avatar-ab12.jpg' FROM generate_series(1, $1) i
              RETURNING id),
            terms AS (
              INSERT INTO ip_terms (id, account_id, type, status) SELECT 'term-' || id, id, 'LIKENESS', 'APPROVED' FROM accounts),
            assets AS (
              INSERT INTO likeness_assets (id, account_id, type, content_url, search_tags)
              SELECT 'asset-' || id, id, 'IMAGE', 'photo-ab12.png',
                     jsonb_build_object('hairColor', (ARRAY['BLACK','BROWN','BLONDE','RED'])[1 + abs(hashtext(id)) % 4],
                                        'birthYear', 1960 + abs(hashtext(id)) % 45)
              FROM accounts),
            done AS (
              INSERT INTO likeness_need_indexing_queue (id, account_id, element_type, status, created_at)
              SELECT 'done-' || i, 'acc' || (1 + i % $1), 'SOCIAL_DATA', 'COMPLETED', now() - make_interval(secs => $2 - i + 1)
              FROM generate_series(1, $2) i)
            INSERT INTO likeness_need_indexing_queue (id, account_id, element_type, created_at)
            SELECT 'event-' || id, id, 'IMAGE_ASSET', clock_timestamp() FROM accounts
            """);
        command.Parameters.Add(new() { Value = count });
        command.Parameters.Add(new() { Value = history });
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
        // Planner statistics as autovacuum would have them on a queue that has been running.
        await using var analyze = dataSource.CreateCommand("VACUUM ANALYZE likeness_need_indexing_queue");
        await analyze.ExecuteNonQueryAsync(cancellationToken);
    }

    private static ServiceProvider BuildServices(string connectionString, int workers, int events, bool noOp)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Likeness"] = connectionString,
            ["MediaStorage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["Indexing:MaxParallelism"] = workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Indexing:BatchSize"] = events.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole())
            .AddLikenessDatabase(configuration)
            .AddBlobStorage(configuration)
            .AddMediaLibrary()
            .AddLikenessProviders(configuration)
            .AddLikenessIndexing();
        if (noOp)
        {
            services.Replace(ServiceDescriptor.Singleton<IAccountIndexer, NoOpIndexer>());
        }
        return services.BuildServiceProvider();
    }

    /// <summary>Completes the event and does nothing else: what is left is the queue's own cost.</summary>
    private sealed class NoOpIndexer(LikenessNeedIndexingQueueAccess queue) : IAccountIndexer
    {
        public async Task<IndexOutcome> IndexAccountAsync(QueueEvent queueEvent, CancellationToken cancellationToken) =>
            new(await queue.MarkEventCompletedAsync(queueEvent.Id, cancellationToken: cancellationToken), "no-op");
    }
}

/// <param name="History">COMPLETED events in the table before the run.</param>
/// <param name="ConnectionOptions">What was added to the connection string, if anything.</param>
internal sealed record QueueResult(string Pipeline, int Workers, int History, string? ConnectionOptions, int Drained, double Seconds)
{
    /// <summary>Transactions committed in the database during the drain, the benchmark's own reads included.</summary>
    public long Commits { get; init; }

    public double EventsPerSecond => Drained / Seconds;
}
