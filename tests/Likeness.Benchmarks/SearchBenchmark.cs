using System.Globalization;
using System.Net;
using System.Text.Json;
using Likeness.Shared.Data;
using Likeness.Shared.Indexing;
using Likeness.Shared.Search;

using Pgvector;

namespace Likeness.Benchmarks;

/// <summary>
/// Search latency and throughput at 1, 8 and 32 concurrent clients, over real HTTP through the
/// local Functions host to the published app and, separately, at the SQL level (the access-class
/// calls a request makes, on the benchmark's own connection pool). Each case rotates through a few
/// variants of its query so that no single plan or page is cached.
/// </summary>
internal static class SearchBenchmark
{
    public static readonly int[] Concurrency = [1, 8, 32];

    public const string BaselineName = "baseline: primary-key lookup";

    // Briefs in the words of the canonical tag text: the offline embedder matches words, not meaning,
    // so free prose would land beyond the app's distance limit and return nothing.
    private static readonly string[] Texts =
    [
        "hair color: blonde; hair type: curly; content niche: fitness; country: australia",
        "voice tone: calm; accent: british rp; category: presenters",
        "category: models; body type: athletic; has tattoos: yes; hair color: black; hair length: short",
        "content niche: gaming; voice tone: energetic; primary language: spanish",
        "category: actors; hair color: gray; facial hair: beard full",
        "content niche: beauty; hair color: red; hair length: long; eye color: green",
        "category: voice artists; voice tone: warm; accent: american general",
        "country: brazil; content niche: travel; hair color: brown; hair type: wavy",
    ];


    /// <summary>The embeddings of the free-text briefs, as the app computes them.</summary>
    public static IReadOnlyList<Vector> TextEmbeddings { get; } = [.. Texts.Select(Catalog.Embed)];

    /// <summary>The cases, their variants drawn from the catalogue's value distributions (see <see cref="Catalog"/>).</summary>
    public static IReadOnlyList<SearchCase> Cases(int accounts, SqlLevel sql)
    {
        var pinnedEmbeddings = new Dictionary<string, Vector>();
        SearchCase Exact(string name, string description, params Filter[][] variants) => new(
            name, description, "exact",
            random => SearchPath(random.Pick(variants), null),
            (random, token) => sql.ExactAsync(Combine(random.Pick(variants)), token))
        {
            CappedSql = (random, token) => sql.ExactWithCappedCountAsync([.. random.Pick(variants).Select(f => (f.Condition, f.SqlValue))], token),
            Filters = random => Combine(random.Pick(variants)),
        };

        List<SearchCase> cases =
        [
            new(BaselineName, "`GET /api/likeness/queue/{id}`; SQL: select one queue event by id", "baseline",
                random => $"/api/likeness/queue/history-{random.Next(Math.Min(accounts, CatalogDatabase.HistoryEvents))}",
                (random, token) => sql.PrimaryKeyAsync($"history-{random.Next(Math.Min(accounts, CatalogDatabase.HistoryEvents))}", token)),
            Exact("browse, no filter", "every account matches: count all, first page by followers", Array.Empty<Filter>()),
            Exact("exact, 1 filter, unselective", "`category` = a popular category (10-24 %)",
                [Is("category", Category.Influencers, (f, v) => f with { Categories = v })],
                [Is("category", Category.Creators, (f, v) => f with { Categories = v })],
                [Is("category", Category.Models, (f, v) => f with { Categories = v })],
                [Is("category", Category.Actors, (f, v) => f with { Categories = v })]),
            Exact("exact, 1 filter, selective", "`country` = a rare country (1-1.5 %)",
                [Is("country", Country.Ireland, (f, v) => f with { Countries = v })],
                [Is("country", Country.Sweden, (f, v) => f with { Countries = v })],
                [Is("country", Country.Poland, (f, v) => f with { Countries = v })],
                [Is("country", Country.Israel, (f, v) => f with { Countries = v })],
                [Is("country", Country.Uae, (f, v) => f with { Countries = v })]),
            Exact("exact, 3 filters, unselective", "gender, `minFollowers`, `isVerified=false`",
                [Is("gender", Gender.Female, (f, v) => f with { Genders = v }), MinFollowers(1_000), Verified(false)],
                [Is("gender", Gender.Male, (f, v) => f with { Genders = v }), MinFollowers(1_000), Verified(false)],
                [Is("gender", Gender.Female, (f, v) => f with { Genders = v }), MinFollowers(5_000), Verified(false)],
                [Is("gender", Gender.Male, (f, v) => f with { Genders = v }), MinFollowers(5_000), Verified(false)]),
            Exact("exact, 3 filters, selective", "country, a less common hair colour, gender",
                [Is("country", Country.Usa, (f, v) => f with { Countries = v }), Is("hairColor", HairColor.Red, (f, v) => f with { HairColors = v }), Is("gender", Gender.Female, (f, v) => f with { Genders = v })],
                [Is("country", Country.Usa, (f, v) => f with { Countries = v }), Is("hairColor", HairColor.Blonde, (f, v) => f with { HairColors = v }), Is("gender", Gender.Male, (f, v) => f with { Genders = v })],
                [Is("country", Country.Uk, (f, v) => f with { Countries = v }), Is("hairColor", HairColor.Blonde, (f, v) => f with { HairColors = v }), Is("gender", Gender.Female, (f, v) => f with { Genders = v })],
                [Is("country", Country.Brazil, (f, v) => f with { Countries = v }), Is("hairColor", HairColor.Brown, (f, v) => f with { HairColors = v }), Is("gender", Gender.Female, (f, v) => f with { Genders = v })]),
            Exact("exact, 6 filters, unselective", "gender, `isVerified`, `wearGlasses`, `primaryLanguage`, `minHeight`, `maxBirthYear`",
                [Is("gender", Gender.Female, (f, v) => f with { Genders = v }), Verified(false), Glasses(false), Is("primaryLanguage", Language.English, (f, v) => f with { PrimaryLanguages = v }), MinHeight(150), MaxBirthYear(2005)],
                [Is("gender", Gender.Male, (f, v) => f with { Genders = v }), Verified(false), Glasses(false), Is("primaryLanguage", Language.English, (f, v) => f with { PrimaryLanguages = v }), MinHeight(160), MaxBirthYear(2005)]),
            Exact("exact, 6 filters, selective", "gender, country, hair colour and length, `wearGlasses`, `minFollowers`",
                [Is("gender", Gender.Female, (f, v) => f with { Genders = v }), Is("country", Country.Usa, (f, v) => f with { Countries = v }), Is("hairColor", HairColor.Blonde, (f, v) => f with { HairColors = v }), Is("hairLength", HairLength.Long, (f, v) => f with { HairLengths = v }), Glasses(false), MinFollowers(2_000)],
                [Is("gender", Gender.Male, (f, v) => f with { Genders = v }), Is("country", Country.Usa, (f, v) => f with { Countries = v }), Is("hairColor", HairColor.Brown, (f, v) => f with { HairColors = v }), Is("hairLength", HairLength.Short, (f, v) => f with { HairLengths = v }), Glasses(false), MinFollowers(2_000)],
                [Is("gender", Gender.Female, (f, v) => f with { Genders = v }), Is("country", Country.Uk, (f, v) => f with { Countries = v }), Is("hairColor", HairColor.Brown, (f, v) => f with { HairColors = v }), Is("hairLength", HairLength.Long, (f, v) => f with { HairLengths = v }), Glasses(false), MinFollowers(2_000)]),
            SemanticFill(sql, pinnedEmbeddings,
                [Is("category", Category.Comedians, (f, v) => f with { Categories = v }), Is("gender", Gender.NonBinary, (f, v) => f with { Genders = v }), Is("country", Country.Japan, (f, v) => f with { Countries = v }), Is("hairColor", HairColor.Colored, (f, v) => f with { HairColors = v }), Glasses(true), Tattoos(true)],
                [Is("category", Category.Athletes, (f, v) => f with { Categories = v }), Is("gender", Gender.Female, (f, v) => f with { Genders = v }), Is("country", Country.Ireland, (f, v) => f with { Countries = v }), Is("hairColor", HairColor.Red, (f, v) => f with { HairColors = v }), Glasses(true), Tattoos(true)],
                [Is("category", Category.Dancers, (f, v) => f with { Categories = v }), Is("gender", Gender.Male, (f, v) => f with { Genders = v }), Is("country", Country.SouthKorea, (f, v) => f with { Countries = v }), Is("hairColor", HairColor.Blonde, (f, v) => f with { HairColors = v }), Glasses(true), Tattoos(false)],
                [Is("category", Category.VoiceArtists, (f, v) => f with { Categories = v }), Is("gender", Gender.Female, (f, v) => f with { Genders = v }), Is("country", Country.Nigeria, (f, v) => f with { Countries = v }), Is("voiceTone", VoiceTone.Raspy, (f, v) => f with { VoiceTones = v }), Glasses(true), Tattoos(true)]),
            new("semantic, free text only", "`q` = a casting brief in the tag text's words (`hair color: blonde; hair type: curly; ...`); every result is semantic", "semantic",
                random => SearchPath([], random.Pick(Texts)),
                (random, token) => sql.NearestAsync(TextEmbeddings[random.Next(TextEmbeddings.Count)], null, token)),
            new("lookalike", "`GET /api/likeness/accounts/{id}/similar` for a random account; SQL: its embedding, then its nearest", "lookalike",
                random => $"/api/likeness/accounts/{Catalog.AccountId(random.Next(accounts))}/similar",
                (random, token) => sql.LookalikeAsync(Catalog.AccountId(random.Next(accounts)), token)),
        ];
        // Each exact case again with every facet counted, right after it in the tables.
        foreach (var exact in cases.Where(c => c.Kind == ExactKind).ToList())
        {
            cases.Insert(cases.IndexOf(exact) + 1, new SearchCase(
                exact.Name + ", facets=all", exact.Description + "; with `facets=all` (counts of every enum and boolean value)", FacetsKind,
                random => WithFacets(exact.Path(random)),
                (random, token) => sql.ExactWithFacetsAsync(exact.Filters!(random), token))
            {
                Filters = exact.Filters,
            });
        }
        return cases;
    }

    public const string ExactKind = "exact";

    /// <summary>The kind of the exact cases repeated with <c>facets=all</c>.</summary>
    public const string FacetsKind = "exact+facets";

    private static string WithFacets(string path) => path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "facets=all";

    /// <summary>Runs every case at every concurrency, over HTTP when <paramref name="http"/> is given, else at the SQL level.</summary>
    public static async Task<List<CaseResult>> RunAsync(
        IReadOnlyList<SearchCase> cases, HttpClient? http, LoadSettings settings, IReadOnlyList<int> concurrency, CancellationToken cancellationToken)
    {
        var results = new List<CaseResult>();
        foreach (var searchCase in cases)
        {
            var sample = http is null ? null : await SampleAsync(http, searchCase, cancellationToken);
            var levels = new List<LatencyStats>();
            foreach (var clients in concurrency)
            {
                var stats = await LoadTest.RunAsync(clients, settings, http is null
                    ? async (random, token) => { await searchCase.Sql(random, token); return true; }
                    : (random, token) => GetAsync(http, searchCase.Path(random), token),
                    cancellationToken);
                levels.Add(stats);
                Console.WriteLine($"  {(http is null ? "sql " : "http")} {searchCase.Name,-32} c={clients,2} n={stats.Count,5} err={stats.Errors} p50={stats.P50,7:0.00} p95={stats.P95,7:0.00} p99={stats.P99,7:0.00} ms {stats.Throughput,7:0.0}/s");
            }
            results.Add(new CaseResult(searchCase, levels, sample));
        }
        return results;
    }

    public static HttpClient CreateClient(Uri baseAddress) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 256,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(60),
    };

    private static async Task<bool> GetAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await response.Content.CopyToAsync(Stream.Null, cancellationToken);
        return response.IsSuccessStatusCode;
    }

    /// <summary>What the pages of a case hold: each of its variants asked once (40 random draws, so all variants are seen).</summary>
    private static async Task<PageSample> SampleAsync(HttpClient http, SearchCase searchCase, CancellationToken cancellationToken)
    {
        var random = new Random(1);
        var paths = Enumerable.Range(0, 40).Select(_ => searchCase.Path(random)).Distinct().ToList();
        long totals = 0, results = 0, semantic = 0;
        foreach (var path in paths)
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {body}");
            }
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("results", out var page))
            {
                totals += json.RootElement.GetProperty("total").GetInt64();
                results += page.GetArrayLength();
                semantic += page.EnumerateArray().Count(r => r.GetProperty("match").GetString() == SearchMatch.Semantic);
            }
        }
        return new PageSample(paths.Count, (double)totals / paths.Count, (double)results / paths.Count, (double)semantic / paths.Count);
    }

    private static SearchCase SemanticFill(SqlLevel sql, Dictionary<string, Vector> embeddings, params Filter[][] variants)
    {
        // The text the service embeds for filters that pin one value each (see LikenessSearchService).
        Vector Embedding(Filter[] variant)
        {
            var key = SearchPath(variant, null);
            lock (embeddings)
            {
                if (!embeddings.TryGetValue(key, out var embedding))
                {
                    embeddings[key] = embedding = Catalog.Embed(TagText.Normalize(Pin(variant)));
                }
                return embedding;
            }
        }
        return new("semantic fill, 6 rare filters", "6 filters with fewer exact matches than a page: exact ones first, the rest semantic", "semantic",
            random => SearchPath(random.Pick(variants), null),
            async (random, token) =>
            {
                var variant = random.Pick(variants);
                await sql.ExactAsync(Combine(variant), token);
                await sql.NearestAsync(Embedding(variant), null, token);
            });
    }

    private static SearchAttributes Pin(Filter[] variant) => variant.Aggregate(new SearchAttributes(), (a, f) => f.Pin(a));

    private static string SearchPath(Filter[] variant, string? text)
    {
        var query = variant.Select(f => $"{f.Key}={Uri.EscapeDataString(f.Value)}").ToList();
        if (text is not null)
        {
            query.Add("q=" + Uri.EscapeDataString(text));
        }
        return "/api/likeness/search" + (query.Count == 0 ? "" : "?" + string.Join('&', query));
    }

    private static SearchFilters Combine(Filter[] variant) => variant.Aggregate(new SearchFilters(), (f, filter) => filter.Apply(f));

    private static T Pick<T>(this Random random, T[] values) => values[random.Next(values.Length)];

    private static Filter Is<T>(string key, T value, Func<SearchFilters, T[], SearchFilters> apply) where T : struct, Enum =>
        new(key, DbEnum<T>.ToLabel(value), f => apply(f, [value]), a => PinEnum(a, value),
            $"{Column(key)} = ANY(${{0}}::{DbEnum<T>.TypeName}[])", new[] { DbEnum<T>.ToLabel(value) });

    private static Filter MinFollowers(long value) =>
        new("minFollowers", value.ToString(CultureInfo.InvariantCulture), f => f with { MinFollowers = value }, a => a, "number_of_followers >= ${0}", value);

    private static Filter MinHeight(int value) =>
        new("minHeight", value.ToString(CultureInfo.InvariantCulture), f => f with { MinHeight = value }, a => a, "height >= ${0}", value);

    private static Filter MaxBirthYear(int value) =>
        new("maxBirthYear", value.ToString(CultureInfo.InvariantCulture), f => f with { MaxBirthYear = value }, a => a, "birth_year <= ${0}", value);

    private static string Column(string key) => JsonNamingPolicy.SnakeCaseLower.ConvertName(key);

    private static Filter Verified(bool value) => Flag("isVerified", value, f => f with { IsVerified = value }, a => a with { IsVerified = value });

    private static Filter Glasses(bool value) => Flag("wearGlasses", value, f => f with { WearGlasses = value }, a => a with { WearGlasses = value });

    private static Filter Tattoos(bool value) => Flag("hasTattoos", value, f => f with { HasTattoos = value }, a => a with { HasTattoos = value });

    private static Filter Flag(string key, bool value, Func<SearchFilters, SearchFilters> apply, Func<SearchAttributes, SearchAttributes> pin) =>
        new(key, value ? "true" : "false", apply, pin, $"{Column(key)} = ${{0}}", value);

    // The attribute a one-value filter pins, as the service's SearchCriteria.PinnedAttributes sets it.
    private static SearchAttributes PinEnum<T>(SearchAttributes a, T value) where T : struct, Enum => value switch
    {
        Category v => a with { Category = v },
        Gender v => a with { Gender = v },
        Country v => a with { Country = v },
        HairColor v => a with { HairColor = v },
        HairLength v => a with { HairLength = v },
        VoiceTone v => a with { VoiceTone = v },
        Language v => a with { PrimaryLanguage = v },
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "No pin for this attribute."),
    };

    /// <param name="Pin">Sets the attribute on the text the service embeds, as a filter of one value does.</param>
    /// <param name="Condition">The same filter in SQL, <c>{0}</c> standing for its parameter's number.</param>
    private sealed record Filter(
        string Key, string Value, Func<SearchFilters, SearchFilters> Apply, Func<SearchAttributes, SearchAttributes> Pin, string Condition, object SqlValue);
}

/// <param name="Kind">baseline, exact, exact+facets, semantic or lookalike: the ratio column divides by the baseline.</param>
/// <param name="Path">The HTTP request (relative to the app) for a client's next request.</param>
/// <param name="Sql">The same request at the SQL level.</param>
internal sealed record SearchCase(string Name, string Description, string Kind, Func<Random, string> Path, Func<Random, CancellationToken, Task> Sql)
{
    /// <summary>For exact cases: the same query with the total counted up to a cap (a tuning experiment).</summary>
    public Func<Random, CancellationToken, Task>? CappedSql { get; init; }

    /// <summary>For exact cases: the filters of a client's next request, drawn as <see cref="Path"/> draws them.</summary>
    public Func<Random, SearchFilters>? Filters { get; init; }
}

/// <param name="Sample">What the HTTP pages held (null at the SQL level).</param>
internal sealed record CaseResult(SearchCase Case, IReadOnlyList<LatencyStats> Levels, PageSample? Sample);

/// <param name="Total">Mean exact-match count (the response's <c>total</c>).</param>
internal sealed record PageSample(int Variants, double Total, double Results, double Semantic);
