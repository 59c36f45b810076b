using System.Globalization;
using System.Runtime.InteropServices;
using Likeness.Benchmarks;

// Benchmarks against the local services (infra/local/dev.sh up). Usage:
//   dotnet run -c Release --project tests/Likeness.Benchmarks -- all [--accounts 10000,100000] [--window 2] [--queue-events 5000] [--recall-queries 30] [--out docs/benchmarks.md]
//   dotnet run -c Release --project tests/Likeness.Benchmarks -- queue [events]
//   dotnet run -c Release --project tests/Likeness.Benchmarks -- host [accounts]
//   dotnet run -c Release --project tests/Likeness.Benchmarks -- search [accounts]
//   dotnet run -c Release --project tests/Likeness.Benchmarks -- latency [events] [--out docs/benchmarks.md]
//   dotnet run -c Release --project tests/Likeness.Benchmarks -- briefs
//   dotnet run -c Release --project tests/Likeness.Benchmarks -- recall [accounts] [m:ef_construction,...]
const string Usage = "usage: Likeness.Benchmarks all [--accounts 10000,100000] [--window SECONDS] [--queue-events N] [--recall-queries N] [--out FILE]\n"
    + "       Likeness.Benchmarks queue [events]\n"
    + "       Likeness.Benchmarks host [accounts]\n"
    + "       Likeness.Benchmarks search [accounts]\n"
    + "       Likeness.Benchmarks latency [events] [--out FILE]\n"
    + "       Likeness.Benchmarks recall [accounts] [m:ef_construction,...]\n"
    + "       Likeness.Benchmarks briefs";
// Ctrl+C or SIGTERM stops the run cleanly: the private databases are dropped and the app processes killed.
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});
var cancellationToken = stop.Token;

switch (args.FirstOrDefault())
{
    case "all" when ParseOptions(args.Skip(1).ToArray()) is { } options:
        var run = await FullRun.RunAsync(options, cancellationToken);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Output))!);
        await File.WriteAllTextAsync(options.Output, LatencySection.AddTo(Report.Write(run), run.Latency), cancellationToken);
        Console.WriteLine($"Report written to {options.Output} ({run.Duration.TotalMinutes:0.0} minutes)");
        foreach (var (name, measured, _, met) in Report.TargetRows(run, run.Scales.Where(s => s.Accounts >= 100_000).MinBy(s => s.Accounts) ?? run.Scales.MaxBy(s => s.Accounts)))
        {
            Console.WriteLine($"  {(met == true ? "met    " : "not met")}  {name}: {measured}");
        }
        return 0;
    case "queue":
        var events = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5_000;
        Console.WriteLine($"Queue drain, {events} events, one per account");
        Console.WriteLine("| pipeline | workers | history | connection option | events | seconds | events/s | commits/event |");
        await QueueBenchmark.RunAsync(events, [QueueBenchmark.NoOp, QueueBenchmark.OfflineEmbedder], QueueBenchmark.Workers, 0, null, cancellationToken);
        return 0;
    case "host":
        // The start time and the host's cost per request alone, printed as the report's sections.
        var accounts = args.Length > 1 ? int.Parse(args[1], NumberStyles.AllowThousands, CultureInfo.InvariantCulture) : 1_000;
        var (start, cost) = await FullRun.HostOnlyAsync(accounts, LoadSettings.ForWindow(TimeSpan.FromSeconds(2)), cancellationToken);
        var sections = new System.Text.StringBuilder();
        Report.StartTime(sections, start);
        Report.HostCost(sections, cost);
        Console.WriteLine();
        Console.Write(sections);
        return 0;
    case "search":
        // The HTTP search cases alone, p50 / p95 per case and client count.
        var searchAccounts = args.Length > 1 ? int.Parse(args[1], NumberStyles.AllowThousands, CultureInfo.InvariantCulture) : 100_000;
        var searchResults = await FullRun.SearchOnlyAsync(searchAccounts, LoadSettings.ForWindow(TimeSpan.FromSeconds(2)), cancellationToken);
        Console.WriteLine();
        Console.WriteLine("| case | " + string.Join(" | ", SearchBenchmark.Concurrency.Select(c => $"{c} clients p50 / p95 ms")) + " |");
        Console.WriteLine("|---|" + string.Concat(SearchBenchmark.Concurrency.Select(_ => "---|")));
        foreach (var result in searchResults)
        {
            Console.WriteLine($"| {result.Case.Name} | " + string.Join(" | ", result.Levels.Select(l => FormattableString.Invariant($"{l.P50:0.0} / {l.P95:0.0}"))) + " |");
        }
        return 0;
    case "latency" when ParseLatencyOptions(args.Skip(1).ToArray()) is var (latencyOptions, latencyOut) && latencyOptions is not null:
        // Event to searchable with the default timers; its section replaces (or joins) the report's own.
        var latency = await LatencyBenchmark.RunAloneAsync(latencyOptions, cancellationToken);
        var section = new System.Text.StringBuilder();
        LatencySection.Write(section, latency);
        var existing = File.Exists(latencyOut) ? await File.ReadAllTextAsync(latencyOut, cancellationToken) : "# Benchmarks\n\n";
        await File.WriteAllTextAsync(latencyOut, LatencySection.Splice(existing, section.ToString()), cancellationToken);
        Console.WriteLine();
        Console.Write(section);
        Console.WriteLine($"Section written to {latencyOut}");
        return latency.Met ? 0 : 1;
    case "recall":
        // recall@20 and latency alone: the migrated index's ef_search curve, then each build given.
        var recallAccounts = args.Length > 1 ? int.Parse(args[1], NumberStyles.AllowThousands, CultureInfo.InvariantCulture) : 100_000;
        HnswBuild[] builds = args.Length > 2
            ? [.. args[2].Split(',').Select(b => b.Split(':')).Select(p => new HnswBuild(int.Parse(p[0], CultureInfo.InvariantCulture), int.Parse(p[1], CultureInfo.InvariantCulture)))]
            : [];
        Console.WriteLine($"Recall@{RecallBenchmark.K}, {recallAccounts:N0} accounts");
        var (catalogue, load) = await CatalogDatabase.CreateAsync(recallAccounts, cancellationToken);
        await using (catalogue)
        {
            Console.WriteLine($"  loaded in {load.Load.TotalSeconds:0} s; " + string.Join(", ", load.IndexBuilds.Select(b => $"{b.Name} {b.Elapsed.TotalSeconds:0.0} s")));
            var recall = await RecallBenchmark.RunAsync(catalogue, 30, LoadSettings.ForWindow(TimeSpan.FromSeconds(2)), cancellationToken, builds, halfvec: false);
            Console.WriteLine();
            Console.WriteLine("| index | ef_search | plan | recall@20 | p50 ms | p95 ms | faster than exact (p50) |");
            Console.WriteLine("|---|---|---|---|---|---|---|");
            Console.WriteLine(FormattableString.Invariant($"| exact scan | | sequential scan | 1.000 | {recall.Exact.P50:0.0} | {recall.Exact.P95:0.0} | 1x |"));
            foreach (var (index, rows) in new[] { ("as migrated", recall.Rows) }.Concat(recall.Builds.Select(b => (b.Build.ToString(), b.Rows))))
            {
                foreach (var row in rows)
                {
                    Console.WriteLine(FormattableString.Invariant($"| {index} | {row.EfSearch} | {row.Plan} | {row.Recall:0.000} | {row.Latency.P50:0.00} | {row.Latency.P95:0.00} | {recall.Exact.P50 / row.Latency.P50:0}x |"));
                }
                var chosen = RecallBenchmark.Chosen(rows);
                Console.WriteLine(chosen is null
                    ? $"  {index}: no ef_search reaches 0.95 through the index"
                    : FormattableString.Invariant($"  {index}: chosen ef_search {chosen.EfSearch}, recall {chosen.Recall:0.000}, p50 {chosen.Latency.P50:0.00} ms, {recall.Exact.P50 / chosen.Latency.P50:0}x faster than exact"));
            }
            Console.WriteLine(FormattableString.Invariant($"  as migrated, {RecallBenchmark.LoadClients} clients, ef_search {Likeness.Shared.Data.VectorSearchOptions.DefaultEfSearch}, index forced: p50 {recall.VectorLoad.P50:0.00} ms, p95 {recall.VectorLoad.P95:0.00} ms"));
        }
        return 0;
    case "briefs":
        Console.WriteLine("Casting briefs against the demo catalogue");
        var briefs = new System.Text.StringBuilder();
        BriefBenchmark.Render(briefs, await BriefBenchmark.RunAsync(cancellationToken));
        Console.WriteLine();
        Console.Write(briefs);
        return 0;
    default:
        Console.Error.WriteLine(Usage);
        return 2;
}

static RunOptions? ParseOptions(string[] args)
{
    var scales = new List<int> { 10_000, 100_000 };
    var window = 2.0;
    var queueEvents = 5_000;
    var recallQueries = 30;
    var output = Path.Combine(Repository.Root(), "docs", "benchmarks.md");
    for (var i = 0; i < args.Length; i++)
    {
        var value = i + 1 < args.Length ? args[i + 1] : null;
        switch (args[i])
        {
            case "--accounts" when value is not null:
                scales = [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, NumberStyles.AllowThousands, CultureInfo.InvariantCulture))];
                break;
            case "--window" when value is not null:
                window = double.Parse(value, CultureInfo.InvariantCulture);
                break;
            case "--queue-events" when value is not null:
                queueEvents = int.Parse(value, CultureInfo.InvariantCulture);
                break;
            case "--recall-queries" when value is not null:
                recallQueries = int.Parse(value, CultureInfo.InvariantCulture);
                break;
            case "--out" when value is not null:
                output = value;
                break;
            default:
                Console.Error.WriteLine($"Unknown or incomplete option {args[i]}");
                return null;
        }
        i++;
    }
    if (scales.Count == 0 || scales.Any(s => s < 100) || window <= 0 || queueEvents < 1 || recallQueries < 2)
    {
        Console.Error.WriteLine("Scales need at least 100 accounts; the window, queue events and recall queries must be positive.");
        return null;
    }
    return new RunOptions(scales, TimeSpan.FromSeconds(window), queueEvents, recallQueries, output,
        "dotnet run -c Release --project tests/Likeness.Benchmarks -- " + string.Join(' ', ["all", .. args]));
}

static (LatencyOptions? Options, string Output) ParseLatencyOptions(string[] args)
{
    var events = 60;
    var output = Path.Combine(Repository.Root(), "docs", "benchmarks.md");
    for (var i = 0; i < args.Length; i++)
    {
        if (args[i] == "--out" && i + 1 < args.Length)
        {
            output = args[++i];
        }
        else if (!int.TryParse(args[i], CultureInfo.InvariantCulture, out events) || events < 50)
        {
            Console.Error.WriteLine("latency takes [events] (at least 50) and [--out FILE].");
            return (null, output);
        }
    }
    return (new LatencyOptions(Events: events), output);
}
