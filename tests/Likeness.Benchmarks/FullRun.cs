using System.Diagnostics;
using System.Globalization;
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
    public LoadSettings Load => LoadSettings.ForWindow(Window);
}

/// <summary>Everything one <c>all</c> run measured; <see cref="Report"/> turns it into markdown.</summary>
internal sealed class RunResult
{
    public required RunOptions Options { get; init; }

    public required MachineInfo Machine { get; init; }

    public List<ScaleResult> Scales { get; } = [];

    public List<MediaResult> Media { get; set; } = [];

    public ColdStartReport? ColdStart { get; set; }

    public HostCostReport? HostCost { get; set; }

    public List<QueueResult> Queue { get; } = [];

    public LatencyReport? Latency { get; set; }

    public BriefReport? Briefs { get; set; }

    public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;

    public TimeSpan Duration { get; set; }

    /// <summary><see cref="MachineInfo.LoadAverage"/> when the run ended.</summary>
    public string LoadAtEnd { get; set; } = "?";
}

internal sealed record ScaleResult(
    int Accounts, LoadReport Load, IReadOnlyList<CaseResult> Http, IReadOnlyList<CaseResult> Sql, RecallReport Recall, IReadOnlyList<TuningRow> Tuning,
    ReadModelReport ReadModel, FreshnessReport Freshness);

/// <summary>
/// The whole benchmark: publishes the app, the local Functions host and a bare ASP.NET Core app,
/// then for each scale loads a private catalogue database, starts the app under the host on it
/// and measures search over HTTP and at the SQL level, vector recall and the tuning options;
/// media, start time and the host's cost per request on the first scale; the queue drain on its
/// own databases; and writes the report.
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
            var (app, bare) = await PublishAsync(repository, work, cancellationToken);

            RunResult? result = null;
            foreach (var accounts in options.Scales)
            {
                Console.WriteLine($"Catalogue of {accounts} accounts");
                var (database, load) = await CatalogDatabase.CreateAsync(accounts, cancellationToken);
                await using (database)
                {
                    Console.WriteLine($"  loaded in {load.Load.TotalSeconds:0.0} s, indexes in {load.IndexBuilds.Sum(b => b.Elapsed.TotalSeconds):0.0} s");
                    result ??= new RunResult { Options = options, Machine = await MachineInfo.CollectAsync(repository, database.DataSource, cancellationToken) };
                    result.Scales.Add(await MeasureScaleAsync(result, database, load, app, bare, work, options, cancellationToken));
                }
            }
            result ??= new RunResult { Options = options, Machine = new MachineInfo([]) };

            Console.WriteLine("Queue drain");
            var largest = options.Scales.Count == 0 ? 0 : options.Scales.Max();
            result.Queue.AddRange(await QueueBenchmark.RunAsync(options.QueueEvents, [QueueBenchmark.NoOp, QueueBenchmark.OfflineEmbedder], QueueBenchmark.Workers, 0, null, cancellationToken));
            result.Queue.AddRange(await QueueBenchmark.RunAsync(options.QueueEvents, [QueueBenchmark.NoOp], [4], largest, null, cancellationToken));
            result.Queue.AddRange(await QueueBenchmark.RunAsync(options.QueueEvents, [QueueBenchmark.NoOp], QueueBenchmark.Workers, 0, QueueTuning, cancellationToken));

            Console.WriteLine("Event to searchable latency");
            result.Latency = await LatencyBenchmark.RunAsync(new LatencyOptions(), cancellationToken);

            Console.WriteLine("Casting briefs");
            result.Briefs = await BriefBenchmark.RunAsync(cancellationToken);
            result.Duration = clock.Elapsed;
            result.LoadAtEnd = MachineInfo.LoadAverage();
            return result;
        }
        finally
        {
            await TestDatabase.DropTemplateAsync();
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// The <c>host</c> command: the start time and the host's cost per request alone, on a fresh
    /// catalogue of <paramref name="accounts"/>, in a few minutes.
    /// </summary>
    public static Task<(ColdStartReport Start, HostCostReport Cost)> HostOnlyAsync(int accounts, LoadSettings settings, CancellationToken cancellationToken) =>
        OnFreshCatalogueAsync(accounts, async (app, bare, database, work) =>
        {
            var environment = AppEnvironment(database);
            Console.WriteLine("  start time");
            var start = await ColdStartBenchmark.RunAsync(app, bare, environment, cancellationToken);
            Console.WriteLine("  host cost per request");
            return (start, await HostCostBenchmark.RunAsync(app, bare, environment, work, settings, cancellationToken));
        }, cancellationToken);

    /// <summary>
    /// The <c>search</c> command: the search cases over HTTP alone, on a fresh catalogue of
    /// <paramref name="accounts"/>, for a quick look at a change before a full run.
    /// </summary>
    public static Task<List<CaseResult>> SearchOnlyAsync(int accounts, LoadSettings settings, CancellationToken cancellationToken) =>
        OnFreshCatalogueAsync(accounts, async (app, _, database, _) =>
        {
            var cases = SearchBenchmark.Cases(database.Accounts, new SqlLevel(database.AppDataSource));
            await using var running = await app.StartAsync(AppEnvironment(database), cancellationToken);
            using var client = SearchBenchmark.CreateClient(running.BaseAddress);
            await WaitForReadModelAsync(running, cancellationToken);
            Console.WriteLine("  search over HTTP");
            return await SearchBenchmark.RunAsync(cases, client, settings, SearchBenchmark.Concurrency, cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// What a single-section command needs: the published app and bare baseline, a fresh catalogue
    /// of <paramref name="accounts"/> and a work folder, all removed after <paramref name="measure"/>.
    /// </summary>
    private static async Task<T> OnFreshCatalogueAsync<T>(
        int accounts, Func<PublishedApp, PublishedApp, CatalogDatabase, string, Task<T>> measure, CancellationToken cancellationToken)
    {
        var work = Directory.CreateTempSubdirectory("likeness-bench-").FullName;
        try
        {
            var (app, bare) = await PublishAsync(Repository.Root(), work, cancellationToken);
            Console.WriteLine($"Catalogue of {accounts} accounts");
            var (database, _) = await CatalogDatabase.CreateAsync(accounts, cancellationToken);
            await using (database)
            {
                return await measure(app, bare, database, work);
            }
        }
        finally
        {
            await TestDatabase.DropTemplateAsync();
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The function app (to run under the local host, published once per run too) and the bare baseline.</summary>
    private static async Task<(PublishedApp App, PublishedApp Bare)> PublishAsync(string repository, string work, CancellationToken cancellationToken)
    {
        Console.WriteLine("Publishing the function app, the local Functions host and a bare ASP.NET Core app");
        var host = await PublishedApp.PublishHostAsync(repository, work, cancellationToken);
        var app = await PublishedApp.PublishAsync(Path.Combine(repository, "functions", "LikenessFunctions"), work, "app", [], cancellationToken);
        return (app.UnderHost(host), await PublishedApp.PublishBareAsync(work, cancellationToken));
    }

    /// <summary>The app's settings as deployed, on <paramref name="database"/> and the local Azurite.</summary>
    private static Dictionary<string, string> AppEnvironment(CatalogDatabase database) => new()
    {
        ["ConnectionStrings__Likeness"] = database.ConnectionString,
        ["MediaStorage__ConnectionString"] = "UseDevelopmentStorage=true",
    };

    /// <summary>The queue tuning experiment: commits that do not wait for the WAL flush.</summary>
    public const string QueueTuning = "Options=-c synchronous_commit=off";

    private static async Task<ScaleResult> MeasureScaleAsync(
        RunResult result, CatalogDatabase database, LoadReport load, PublishedApp app, PublishedApp bare, string work, RunOptions options, CancellationToken cancellationToken)
    {
        var environment = AppEnvironment(database);
        var cases = SearchBenchmark.Cases(database.Accounts, new SqlLevel(database.AppDataSource));

        List<CaseResult> http, sql;
        FreshnessReport freshness;
        var tuning = new List<TuningRow>();
        await using (var running = await app.StartAsync(environment, cancellationToken))
        {
            using var client = SearchBenchmark.CreateClient(running.BaseAddress);
            await WaitForReadModelAsync(running, cancellationToken);
            Console.WriteLine("  search over HTTP");
            http = await SearchBenchmark.RunAsync(cases, client, options.Load, SearchBenchmark.Concurrency, cancellationToken);
            Console.WriteLine("  freshness: a committed change until search shows it");
            freshness = await ReadModelBenchmark.FreshnessAsync(database, client, cancellationToken);
            Console.WriteLine(Inv($"    p50 {freshness.P50:0} ms, max {freshness.Max:0} ms over {freshness.Milliseconds.Count} changes"));
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
            Console.WriteLine("  start time");
            result.ColdStart = await ColdStartBenchmark.RunAsync(app, bare, environment, cancellationToken);
            Console.WriteLine("  host cost per request");
            result.HostCost = await HostCostBenchmark.RunAsync(app, bare, environment, work, options.Load, cancellationToken);
        }
        Console.WriteLine("  vector recall");
        var recall = await RecallBenchmark.RunAsync(database, options.RecallQueries, options.Load, cancellationToken);
        Console.WriteLine("  read model: memory, load, totals, in-process search");
        var readModel = await ReadModelBenchmark.MeasureAsync(database, cases, cancellationToken);
        Console.WriteLine(Inv($"    {readModel.Bytes / 1e6:0.0} MB for {readModel.Rows:N0} rows, loaded in {readModel.Load.TotalMilliseconds:0} ms, totals {readModel.TotalsEqual}/{readModel.TotalsChecked} equal to count(*)"));
        return new ScaleResult(database.Accounts, load, http, sql, recall, tuning, readModel, freshness);
    }

    /// <summary>
    /// Until the app logs that its read model is loaded: before that its exact searches go to
    /// PostgreSQL, which is not what the figures are about.
    /// </summary>
    private static async Task WaitForReadModelAsync(RunningApp running, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        while (!running.Output.Contains(ReadModelLoaded, StringComparison.Ordinal))
        {
            if (watch.Elapsed > TimeSpan.FromMinutes(2))
            {
                Console.WriteLine("  warning: the app never logged that its read model was loaded; measuring anyway");
                return;
            }
            await Task.Delay(50, cancellationToken);
        }
        Console.WriteLine(Inv($"  read model loaded {watch.Elapsed.TotalSeconds:0.0} s after the app was healthy"));
    }

    /// <summary>The start of the app's SearchReadModel log line after a full load.</summary>
    private const string ReadModelLoaded = "Search read model loaded";

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
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
