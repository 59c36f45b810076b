using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Likeness.Benchmarks;

/// <summary>
/// Before/after measurements of the tuning options, each at 8 clients on the same catalogue:
/// the proposed search indexes (and, with them, custom plans and a capped total), proposed changes
/// to the search code (emulated at the SQL level), and app settings that need no code change
/// (pool size, log level), each applied by restarting the app with it.
/// </summary>
internal static partial class TuningBenchmark
{
    public const int Clients = 8;

    /// <summary>The cases the app-setting experiments run (all of them would take too long for what they show).</summary>
    private static readonly string[] SettingCases =
        [SearchBenchmark.BaselineName, "browse, no filter", "exact, 3 filters, unselective", "exact, 6 filters, selective", "semantic, free text only", "lookalike"];

    /// <summary>
    /// The search indexes proposed as migration <c>0002_search_indexes.sql</c>: the page order
    /// (so a page is read in order and stops after 20 rows instead of sorting every match), and
    /// the attributes casting searches filter on most, for the exact count (bitmap AND of them).
    /// </summary>
    public const string ProposedIndexes = """
        CREATE INDEX IF NOT EXISTS likeness_search_followers_idx
          ON likeness_search (number_of_followers DESC NULLS LAST, account_id COLLATE "C");
        CREATE INDEX IF NOT EXISTS likeness_search_category_idx ON likeness_search (category);
        CREATE INDEX IF NOT EXISTS likeness_search_gender_idx ON likeness_search (gender);
        CREATE INDEX IF NOT EXISTS likeness_search_country_idx ON likeness_search (country);
        CREATE INDEX IF NOT EXISTS likeness_search_content_niche_idx ON likeness_search (content_niche);
        CREATE INDEX IF NOT EXISTS likeness_search_ethnicity_idx ON likeness_search (ethnicity);
        CREATE INDEX IF NOT EXISTS likeness_search_hair_color_idx ON likeness_search (hair_color);
        """;

    private static readonly string[] ProposedIndexNames = [.. IndexName().Matches(ProposedIndexes).Select(m => m.Groups[1].Value)];

    /// <summary>
    /// The server setting that makes PostgreSQL plan every execution of a prepared statement for
    /// its actual values. The app prepares repeated statements automatically, and after five
    /// executions PostgreSQL may switch to a generic plan that cannot know how selective a filter is.
    /// </summary>
    public const string CustomPlans = "Options=-c plan_cache_mode=force_custom_plan";

    /// <summary>
    /// The exact cases (and, over HTTP, those that also count exact matches) without and with
    /// <see cref="ProposedIndexes"/>; then, with the indexes, on custom plans (at the SQL level
    /// and with the app restarted with <see cref="CustomPlans"/>), and with the total counted only
    /// up to 1,000. The database is left as the migrations made it.
    /// </summary>
    /// <param name="http">The app as deployed, already running on <paramref name="database"/>.</param>
    public static async Task<List<TuningRow>> IndexesAsync(
        CatalogDatabase database, IReadOnlyList<SearchCase> cases, HttpClient http, PublishedApp app, Dictionary<string, string> environment,
        LoadSettings settings, CancellationToken cancellationToken)
    {
        var exact = cases.Where(c => c.Kind == "exact").ToList();
        // Semantic fill and lookalike also count exact matches (the page total, the lookalike pool).
        List<SearchCase> overHttp = [.. exact, .. cases.Where(c => c.Kind is "semantic" or "lookalike")];
        await using var customPlans = CatalogDatabase.AppServices(database.ConnectionString + ";" + CustomPlans);
        var customPlanCases = SearchBenchmark.Cases(database.Accounts, new SqlLevel(customPlans.GetRequiredService<NpgsqlDataSource>()))
            .Where(c => c.Kind == "exact").ToList();
        var deployed = new List<string>();
        foreach (var name in ProposedIndexNames)
        {
            if (await database.IndexDefinitionAsync(name, cancellationToken) is not null)
            {
                deployed.Add(name);
            }
        }
        List<CaseResult> sqlBefore, httpBefore, sqlAfter, httpAfter, sqlCustom, httpCustom, capped;
        try
        {
            Console.WriteLine("  tuning: search indexes, before");
            await database.ExecuteAsync(string.Concat(ProposedIndexNames.Select(n => $"DROP INDEX IF EXISTS {n}; ")) + "ANALYZE likeness_search", cancellationToken);
            sqlBefore = await SearchBenchmark.RunAsync(exact, null, settings, [Clients], cancellationToken);
            httpBefore = await SearchBenchmark.RunAsync(overHttp, http, settings, [Clients], cancellationToken);

            Console.WriteLine("  tuning: search indexes, after");
            await database.ExecuteAsync(ProposedIndexes + "; ANALYZE likeness_search", cancellationToken);
            sqlAfter = await SearchBenchmark.RunAsync(exact, null, settings, [Clients], cancellationToken);
            httpAfter = await SearchBenchmark.RunAsync(overHttp, http, settings, [Clients], cancellationToken);

            Console.WriteLine("  tuning: search indexes and custom plans");
            sqlCustom = await SearchBenchmark.RunAsync(customPlanCases, null, settings, [Clients], cancellationToken);
            await using (var running = await app.StartAsync(
                new Dictionary<string, string>(environment) { ["ConnectionStrings__Likeness"] = database.ConnectionString + ";" + CustomPlans }, cancellationToken))
            {
                using var client = SearchBenchmark.CreateClient(running.BaseAddress);
                httpCustom = await SearchBenchmark.RunAsync(overHttp, client, settings, [Clients], cancellationToken);
            }

            Console.WriteLine($"  tuning: total counted up to {SqlLevel.CountCap:N0}");
            capped = await SearchBenchmark.RunAsync([.. customPlanCases.Select(c => c with { Sql = c.CappedSql ?? c.Sql })], null, settings, [Clients], cancellationToken);
        }
        finally
        {
            // Back to the state the migrations made: every proposed index that they create, and no other.
            await database.ExecuteAsync(
                ProposedIndexes + string.Concat(ProposedIndexNames.Except(deployed).Select(n => $"DROP INDEX IF EXISTS {n}; ")) + "ANALYZE likeness_search",
                CancellationToken.None);
        }

        var rows = new List<TuningRow>();
        const string indexes = "proposed search indexes (0002)";
        const string custom = "custom plans for search (`plan_cache_mode=force_custom_plan`), with the indexes";
        for (var i = 0; i < exact.Count; i++)
        {
            rows.Add(new TuningRow(indexes, "SQL", exact[i].Name, sqlBefore[i].Levels[0], sqlAfter[i].Levels[0]));
            rows.Add(new TuningRow(custom, "SQL", exact[i].Name, sqlAfter[i].Levels[0], sqlCustom[i].Levels[0]));
        }
        for (var i = 0; i < overHttp.Count; i++)
        {
            rows.Add(new TuningRow(indexes, "HTTP", overHttp[i].Name, httpBefore[i].Levels[0], httpAfter[i].Levels[0]));
            rows.Add(new TuningRow(custom, "HTTP", overHttp[i].Name, httpAfter[i].Levels[0], httpCustom[i].Levels[0]));
            rows.Add(new TuningRow(AllSearchChanges, "HTTP", overHttp[i].Name, httpBefore[i].Levels[0], httpCustom[i].Levels[0]));
        }
        for (var i = 0; i < exact.Count; i++)
        {
            rows.Add(new TuningRow($"total counted up to {SqlLevel.CountCap:N0} (with the indexes, custom plans)", "SQL", exact[i].Name, sqlCustom[i].Levels[0], capped[i].Levels[0]));
        }
        return rows;
    }

    /// <summary>The label of the rows comparing the app as deployed with the indexes and custom plans together.</summary>
    public const string AllSearchChanges = "indexes and custom plans together (as deployed -> both)";

    /// <summary>
    /// Two proposed changes to the search code, emulated at the SQL level in this process with the
    /// same access classes (before: as the code does it today; after: as proposed).
    /// </summary>
    public static async Task<List<TuningRow>> SearchCodeAsync(CatalogDatabase database, LoadSettings settings, CancellationToken cancellationToken)
    {
        var sql = new SqlLevel(database.AppDataSource);
        var random = new Random(5);
        var accounts = Enumerable.Range(0, 40).Select(_ => Catalog.Generate(random.Next(database.Accounts))).ToList();
        var experiments = new (string Change, string Case, Func<Random, CancellationToken, Task> Before, Func<Random, CancellationToken, Task> After)[]
        {
            ("semantic candidates: ask for limit + 1 first (service)", "semantic, free text only",
                (r, t) => sql.SemanticAsTodayAsync(SearchBenchmark.TextEmbeddings[r.Next(SearchBenchmark.TextEmbeddings.Count)], null, t),
                (r, t) => sql.SemanticProposedAsync(SearchBenchmark.TextEmbeddings[r.Next(SearchBenchmark.TextEmbeddings.Count)], null, t)),
            ("semantic candidates: ask for limit + 1 first (service)", "lookalike",
                (r, t) => accounts[r.Next(accounts.Count)] is var a ? sql.SemanticAsTodayAsync(a.Embedding, a.Id, t) : Task.CompletedTask,
                (r, t) => accounts[r.Next(accounts.Count)] is var a ? sql.SemanticProposedAsync(a.Embedding, a.Id, t) : Task.CompletedTask),
            ("account cards: columns instead of to_jsonb (SearchReadAccess)", "cards of a page of 20",
                (r, t) => sql.CardsAsync(Page(r, database.Accounts), t),
                (r, t) => sql.CardsByColumnsAsync(Page(r, database.Accounts), t)),
        };
        var rows = new List<TuningRow>();
        foreach (var (change, name, before, after) in experiments)
        {
            Console.WriteLine($"  tuning: {change}, {name}");
            var b = await LoadTest.RunAsync(Clients, settings, async (r, t) => { await before(r, t); return true; }, cancellationToken);
            var a = await LoadTest.RunAsync(Clients, settings, async (r, t) => { await after(r, t); return true; }, cancellationToken);
            rows.Add(new TuningRow(change, "SQL", name, b, a));
        }
        return rows;
    }

    private static string[] Page(Random random, int accounts) => [.. Enumerable.Range(0, 20).Select(_ => Catalog.AccountId(random.Next(accounts)))];

    /// <summary>
    /// Restarts the app with each setting and compares it with <paramref name="asDeployed"/>
    /// (the main HTTP run, at <see cref="Clients"/> clients, or 32 for the pool size).
    /// </summary>
    public static async Task<List<TuningRow>> AppSettingsAsync(
        PublishedApp app, Dictionary<string, string> environment, IReadOnlyList<SearchCase> cases, IReadOnlyList<CaseResult> asDeployed,
        LoadSettings settings, CancellationToken cancellationToken)
    {
        var connectionString = environment["ConnectionStrings__Likeness"];
        var experiments = new (string Name, string Key, string Value, int Clients)[]
        {
            ("log level Warning (no per-request logs)", "Logging__LogLevel__Default", "Warning", Clients),
            ("pool of 8 connections (Maximum Pool Size=8)", "ConnectionStrings__Likeness", connectionString + ";Maximum Pool Size=8", 32),
        };
        var chosen = cases.Where(c => SettingCases.Contains(c.Name)).ToList();
        var rows = new List<TuningRow>();
        foreach (var (name, key, value, clients) in experiments)
        {
            Console.WriteLine($"  tuning: {name}");
            await using var running = await app.StartAsync(new Dictionary<string, string>(environment) { [key] = value }, cancellationToken);
            using var http = SearchBenchmark.CreateClient(running.BaseAddress);
            var after = await SearchBenchmark.RunAsync(chosen, http, settings, [clients], cancellationToken);
            foreach (var result in after)
            {
                var before = asDeployed.Single(r => r.Case.Name == result.Case.Name).Levels.Single(l => l.Clients == clients);
                rows.Add(new TuningRow(name, "HTTP", result.Case.Name, before, result.Levels[0]));
            }
        }
        return rows;
    }

    [GeneratedRegex(@"CREATE INDEX IF NOT EXISTS (\w+)")]
    private static partial Regex IndexName();
}

/// <param name="Level">SQL or HTTP.</param>
internal sealed record TuningRow(string Change, string Level, string Case, LatencyStats Before, LatencyStats After);
