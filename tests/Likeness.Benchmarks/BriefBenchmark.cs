using System.Diagnostics;
using System.Globalization;
using System.Text;
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

namespace Likeness.Benchmarks;

/// <summary>
/// Brief quality: the plain-language briefs of <c>briefs.json</c> against the demo catalogue as
/// <c>LikenessOps seed</c> writes it (300 accounts, seed 42) and the real indexing pipeline
/// indexes it, in the default offline configuration. Measures how many briefs the local parser
/// reads exactly as the file says, precision@10 of the search with the brief as <c>q</c>, the
/// same search without the parser (the text straight to the embedder, as before) as the baseline,
/// and the parser's own cost per brief.
/// </summary>
internal static class BriefBenchmark
{
    public const int DemoAccounts = 300;
    private const int Depth = 10;
    private const int ParseRounds = 2_000;
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

            var search = services.GetRequiredService<LikenessSearchService>();
            // The search as it was before the parser: the text goes to the embedder as it is.
            var baseline = new LikenessSearchService(
                services.GetRequiredService<ExactSearch>(), services.GetRequiredService<LikenessSearchVectorAccess>(),
                services.GetRequiredService<SearchReadAccess>(), services.GetRequiredService<IEmbedder>(),
                services.GetRequiredService<IOptions<SearchOptions>>(), services.GetRequiredService<ILogger<LikenessSearchService>>());
            var rows = new List<BriefRow>();
            foreach (var (brief, reading) in briefs.Zip(parsed))
            {
                var page = await search.SearchAsync(new SearchQuery { Text = brief.Text, Limit = Depth }, cancellationToken);
                var before = await baseline.SearchAsync(new SearchQuery { Text = brief.Text, Limit = Depth }, cancellationToken);
                rows.Add(new BriefRow(
                    brief.Text, exact.Contains(brief), Json(reading.Filters), reading.RemainingText,
                    page.Results.Count, Precision(brief.Filters, page.Results), page.Total,
                    before.Results.Count, Precision(brief.Filters, before.Results)));
            }
            return new BriefReport(rows, parseMicroseconds, today);
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
        md.Append(Inv($"(offline embedder, `Search__MaxDistance` 0.6), today fixed at {report.Today:yyyy-MM-dd}. *Read exactly*: the local parser's filters equal the file's. "));
        md.Append(Inv($"*precision@{Depth}*: share of the first {Depth} results that have at least two of the brief's attributes (all of them when it names fewer than two), "));
        md.AppendLine("a brief without results counting 0. The baseline is the same search with the text going straight to the embedder, as before the parser. "
            + "`dotnet run -c Release --project tests/Likeness.Benchmarks -- briefs` runs this section alone.");
        md.AppendLine();
        md.AppendLine("| measure | with the brief parser | baseline: text to the embedder | target |");
        md.AppendLine("|---|---|---|---|");
        md.AppendLine(Inv($"| briefs read exactly | {report.ExactShare:P0} ({report.Rows.Count(r => r.ReadExactly)} of {report.Rows.Count}) | - | >= 90 % |"));
        md.AppendLine(Inv($"| precision@{Depth} | {report.Precision:0.00} | {report.BaselinePrecision:0.00} | >= 0.8 |"));
        md.AppendLine(Inv($"| briefs with no result | {report.Rows.Count(r => r.Results == 0)} | {report.Rows.Count(r => r.BaselineResults == 0)} | |"));
        md.AppendLine(Inv($"| parser cost per brief (mean over {ParseRounds} rounds of all briefs, one thread) | {report.ParseMicroseconds:0.0} µs | - | microseconds |"));
        md.AppendLine();
        md.AppendLine("<details><summary>Every brief</summary>");
        md.AppendLine();
        md.AppendLine($"| brief | read exactly | filters read | words left | results | exact matches | precision@{Depth} | baseline results | baseline precision |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var row in report.Rows)
        {
            md.AppendLine(Inv($"| {Cell(row.Brief)} | {(row.ReadExactly ? "yes" : "**no**")} | `{row.Filters}` | {Cell(row.RemainingText ?? "")} | {row.Results} | {row.Total} | {row.Precision:0.00} | {row.BaselineResults} | {row.BaselinePrecision:0.00} |"));
        }
        md.AppendLine();
        md.AppendLine("</details>");
        md.AppendLine();
    }

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

/// <param name="Filters">What the parser read, as JSON.</param>
/// <param name="Total">Exact matches of the search.</param>
internal sealed record BriefRow(
    string Brief, bool ReadExactly, string Filters, string? RemainingText, int Results, double Precision, long Total, int BaselineResults, double BaselinePrecision);

internal sealed record BriefReport(IReadOnlyList<BriefRow> Rows, double ParseMicroseconds, DateOnly Today)
{
    public double ExactShare => Rows.Count(r => r.ReadExactly) / (double)Rows.Count;

    public double Precision => Rows.Average(r => r.Precision);

    public double BaselinePrecision => Rows.Average(r => r.BaselinePrecision);
}
