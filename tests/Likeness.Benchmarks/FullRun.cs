using System.Diagnostics;
using Likeness.Testing;

namespace Likeness.Benchmarks;

/// <summary>What <c>all</c> measures.</summary>
/// <param name="Scales">Catalogue sizes, each loaded into its own database, measured, and dropped.</param>
/// <param name="Window">Measured time per case and concurrency (after a warm-up of a fifth of it, at least 0.5 s).</param>
/// <param name="QueueEvents">Events each queue drain processes.</param>
/// <param name="RecallQueries">Queries for recall@20.</param>
/// <param name="Output">Where the markdown report goes.</param>
internal sealed record RunOptions(IReadOnlyList<int> Scales, TimeSpan Window, int QueueEvents, int RecallQueries, string Output, string CommandLine)
{
    public LoadSettings Load => new(TimeSpan.FromSeconds(Math.Max(0.5, Window.TotalSeconds / 5)), Window, 20, Window * 4);
}

/// <summary>Everything one <c>all</c> run measured; <see cref="Report"/> turns it into markdown.</summary>
internal sealed class RunResult
{
    public required RunOptions Options { get; init; }

    public required MachineInfo Machine { get; init; }

    public List<ScaleResult> Scales { get; } = [];

    public List<MediaResult> Media { get; set; } = [];

    public ColdStartReport? ColdStart { get; set; }

    public List<QueueResult> Queue { get; } = [];

    public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;

    public TimeSpan Duration { get; set; }
}

internal sealed record ScaleResult(
    int Accounts, LoadReport Load, IReadOnlyList<CaseResult> Http, IReadOnlyList<CaseResult> Sql, RecallReport Recall, IReadOnlyList<TuningRow> Tuning);

/// <summary>
/// The whole benchmark: publishes the app (and a bare ASP.NET Core app), then for each scale loads
/// a private catalogue database, starts the published app on it and measures search over HTTP and
/// at the SQL level, vector recall and the tuning options; media and cold start on the first
/// scale; the queue drain on its own databases; and writes the report.
/// </summary>
internal static class FullRun
{
    public static async Task<RunResult> RunAsync(RunOptions options, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var repository = Repository.Root();
        var work = Directory.CreateTempSubdirectory("likeness-bench-").FullName;
        try
        {
            Console.WriteLine("Publishing the function app and a bare ASP.NET Core app");
            var app = await PublishedApp.PublishAsync(Path.Combine(repository, "functions", "LikenessFunctions"), work, "app", [], cancellationToken);
            var bare = await PublishedApp.PublishBareAsync(work, cancellationToken);

            RunResult? result = null;
            foreach (var accounts in options.Scales)
            {
                Console.WriteLine($"Catalogue of {accounts} accounts");
                var (database, load) = await CatalogDatabase.CreateAsync(accounts, cancellationToken);
                await using (database)
                {
                    Console.WriteLine($"  loaded in {load.Load.TotalSeconds:0.0} s, indexes in {load.IndexBuilds.Sum(b => b.Elapsed.TotalSeconds):0.0} s");
                    result ??= new RunResult { Options = options, Machine = await MachineInfo.CollectAsync(repository, database.DataSource, cancellationToken) };
                    result.Scales.Add(await MeasureScaleAsync(result, database, load, app, bare, options, cancellationToken));
                }
            }
            result ??= new RunResult { Options = options, Machine = new MachineInfo([]) };

            Console.WriteLine("Queue drain");
            var largest = options.Scales.Count == 0 ? 0 : options.Scales.Max();
            result.Queue.AddRange(await QueueBenchmark.RunAsync(options.QueueEvents, [QueueBenchmark.NoOp, QueueBenchmark.OfflineEmbedder], QueueBenchmark.Workers, 0, null, cancellationToken));
            result.Queue.AddRange(await QueueBenchmark.RunAsync(options.QueueEvents, [QueueBenchmark.NoOp], [4], largest, null, cancellationToken));
            result.Queue.AddRange(await QueueBenchmark.RunAsync(options.QueueEvents, [QueueBenchmark.NoOp], QueueBenchmark.Workers, 0, QueueTuning, cancellationToken));
            result.Duration = clock.Elapsed;
            return result;
        }
        finally
        {
            await TestDatabase.DropTemplateAsync();
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The queue tuning experiment: commits that do not wait for the WAL flush.</summary>
    public const string QueueTuning = "Options=-c synchronous_commit=off";

    private static async Task<ScaleResult> MeasureScaleAsync(
        RunResult result, CatalogDatabase database, LoadReport load, PublishedApp app, PublishedApp bare, RunOptions options, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Likeness"] = database.ConnectionString,
            ["Timers__RunStandalone"] = "false",
            ["MediaStorage__ConnectionString"] = "UseDevelopmentStorage=true",
        };
        var cases = SearchBenchmark.Cases(database.Accounts, new SqlLevel(database.AppDataSource));

        List<CaseResult> http, sql;
        var tuning = new List<TuningRow>();
        await using (var running = await app.StartAsync(environment, cancellationToken))
        {
            using var client = SearchBenchmark.CreateClient(running.BaseAddress);
            Console.WriteLine("  search over HTTP");
            http = await SearchBenchmark.RunAsync(cases, client, options.Load, SearchBenchmark.Concurrency, cancellationToken);
            Console.WriteLine("  search at the SQL level");
            sql = await SearchBenchmark.RunAsync(cases, null, options.Load, SearchBenchmark.Concurrency, cancellationToken);
            tuning.AddRange(await TuningBenchmark.IndexesAsync(database, cases, client, app, environment, options.Load, cancellationToken));
            tuning.AddRange(await TuningBenchmark.SearchCodeAsync(database, options.Load, cancellationToken));
            if (result.Scales.Count == 0)
            {
                Console.WriteLine("  media proxy");
                result.Media = await MediaBenchmark.RunAsync(database, client, options.Load, cancellationToken);
            }
        }
        tuning.AddRange(await TuningBenchmark.AppSettingsAsync(app, environment, cases, http, options.Load, cancellationToken));
        if (result.Scales.Count == 0)
        {
            Console.WriteLine("  cold start");
            result.ColdStart = await ColdStartBenchmark.RunAsync(app, bare, environment, cancellationToken);
        }
        Console.WriteLine("  vector recall");
        var recall = await RecallBenchmark.RunAsync(database, options.RecallQueries, options.Load, cancellationToken);
        return new ScaleResult(database.Accounts, load, http, sql, recall, tuning);
    }
}

internal static class Repository
{
    /// <summary>The folder holding LikenessFunctions.sln, searched upwards from the working directory, then from the program.</summary>
    public static string Root()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "LikenessFunctions.sln")))
                {
                    return folder.FullName;
                }
            }
        }
        throw new InvalidOperationException("Run the benchmarks from the repository (LikenessFunctions.sln not found).");
    }
}
