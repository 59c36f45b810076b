using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Likeness.Shared.Data;
using Likeness.Shared.Search.ReadModel;

namespace Likeness.Benchmarks;

/// <summary>
/// The exact-search read model: its memory and load time, measured in this process by loading it
/// as the app does (binary COPY, then the snapshot), exact totals against PostgreSQL's count, the
/// in-process search time, and freshness over HTTP: a change committed from another connection
/// until search shows it.
/// </summary>
internal static class ReadModelBenchmark
{
    /// <summary>The changes whose visibility is timed.</summary>
    public const int FreshnessChanges = 24;

    private const int InProcessRuns = 200;

    public static async Task<ReadModelReport> MeasureAsync(CatalogDatabase database, IReadOnlyList<SearchCase> cases, CancellationToken cancellationToken)
    {
        var access = new LikenessSearchAccess(database.DataSource);
        var before = Heap();
        var watch = Stopwatch.StartNew();
        // What the app's SearchReadModel holds: the rows by account id, and the snapshot over them.
        var rows = (await access.ExportAllAsync(cancellationToken)).ToDictionary(r => r.AccountId, StringComparer.Ordinal);
        var copied = watch.Elapsed;
        var afterRows = Heap();
        var snapshot = SearchSnapshot.Build(rows.Values);
        var load = watch.Elapsed;
        var afterSnapshot = Heap();
        var rebuilds = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var rebuild = Stopwatch.StartNew();
            GC.KeepAlive(SearchSnapshot.Build(rows.Values));
            rebuilds.Add(rebuild.Elapsed.TotalMilliseconds);
        }

        var exact = cases.Where(c => c.Kind == SearchBenchmark.ExactKind && c.Filters is not null).ToList();
        var random = new Random(10);
        int checkedTotals = 0, equalTotals = 0;
        foreach (var searchCase in exact)
        {
            for (var i = 0; i < 8; i++)
            {
                var filters = searchCase.Filters!(random);
                var sql = await access.SearchByFiltersAsync(filters, 1, 0, cancellationToken);
                checkedTotals++;
                equalTotals += snapshot.Search(filters, 1, 0, []).Total == sql.Total ? 1 : 0;
            }
        }

        var inProcess = new List<InProcessCase>();
        foreach (var searchCase in exact)
        {
            inProcess.Add(new InProcessCase(
                searchCase.Name,
                Time(() => snapshot.Search(searchCase.Filters!(random), 20, 0, [])),
                Time(() => snapshot.Search(searchCase.Filters!(random), 20, 0, SearchAttributeCatalog.Discrete))));
        }
        GC.KeepAlive(rows);
        GC.KeepAlive(snapshot);
        return new ReadModelReport(
            snapshot.Count, afterRows - before, afterSnapshot - afterRows, snapshot.IndexBytes, copied, load, Median(rebuilds),
            checkedTotals, equalTotals, inProcess);
    }

    /// <summary>
    /// Sets an account's followers to a value no other account has, from the benchmark's own
    /// connection, and polls the app's search for that value until it finds the account; then puts
    /// the value back. The time runs from the commit to the first answer that shows it.
    /// </summary>
    public static async Task<FreshnessReport> FreshnessAsync(CatalogDatabase database, HttpClient http, CancellationToken cancellationToken)
    {
        var random = new Random(5);
        var times = new List<double>();
        // Not every generated account is indexed (some fail the base requirements).
        var indexed = (string[])(await ScalarAsync(database, "SELECT array_agg(account_id ORDER BY account_id) FROM likeness_search"))!;
        for (var change = 0; change < FreshnessChanges; change++)
        {
            var accountId = indexed[random.Next(indexed.Length)];
            var marker = 9_000_000_000_000L + change;
            var original = await ScalarAsync(database, "SELECT number_of_followers FROM likeness_search WHERE account_id = $1", accountId);
            await ScalarAsync(database, "UPDATE likeness_search SET number_of_followers = $2 WHERE account_id = $1", accountId, marker);
            var watch = Stopwatch.StartNew();
            var path = string.Create(CultureInfo.InvariantCulture, $"/api/likeness/search?minFollowers={marker}&maxFollowers={marker}&limit=1");
            while (await TotalAsync(http, path, cancellationToken) != 1)
            {
                if (watch.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new TimeoutException($"A change to {accountId} did not show in search within a minute.");
                }
                await Task.Delay(5, cancellationToken);
            }
            times.Add(watch.Elapsed.TotalMilliseconds);
            await ScalarAsync(database, "UPDATE likeness_search SET number_of_followers = $2 WHERE account_id = $1", accountId, original);
            // Changes at random moments, not in step with the debounce.
            await Task.Delay(random.Next(100, 400), cancellationToken);
        }
        return new FreshnessReport(times);
    }

    private static async Task<long> TotalAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {body}");
        }
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("total").GetInt64();
    }

    private static async Task<object?> ScalarAsync(CatalogDatabase database, string sql, params object?[] parameters)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = value ?? DBNull.Value });
        }
        var result = await command.ExecuteScalarAsync();
        return result is DBNull ? null : result;
    }

    private static LatencyStats Time(Action search)
    {
        var times = new List<double>(InProcessRuns);
        var total = Stopwatch.StartNew();
        for (var i = 0; i < InProcessRuns; i++)
        {
            var one = Stopwatch.StartNew();
            search();
            times.Add(one.Elapsed.TotalMilliseconds);
        }
        return LatencyStats.From(1, times, 0, total.Elapsed.TotalSeconds);
    }

    private static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}

/// <param name="RowBytes">Managed heap of the rows by account id (records, strings, dictionary).</param>
/// <param name="SnapshotBytes">Managed heap of one snapshot (sorted array, positions, bitsets, range columns); a rebuild holds two for a moment.</param>
/// <param name="Copy">Binary COPY of the table into rows.</param>
/// <param name="Load">COPY and the first snapshot, as at start-up.</param>
/// <param name="RebuildMs">Median time to build a snapshot from the rows, as after each batch of changes.</param>
internal sealed record ReadModelReport(
    int Rows, long RowBytes, long SnapshotBytes, long IndexBytes, TimeSpan Copy, TimeSpan Load, double RebuildMs,
    int TotalsChecked, int TotalsEqual, IReadOnlyList<InProcessCase> InProcess)
{
    public long Bytes => RowBytes + SnapshotBytes;

    /// <summary>Linear in the accounts: every part of the model is per account.</summary>
    public double ProjectedBytes(int accounts) => Rows == 0 ? 0 : (double)Bytes / Rows * accounts;
}

/// <summary>One exact case searched in this process, one client, without and with every facet.</summary>
internal sealed record InProcessCase(string Case, LatencyStats Plain, LatencyStats Facets);

internal sealed record FreshnessReport(IReadOnlyList<double> Milliseconds)
{
    public double P50 => Milliseconds.Order().ElementAt(Milliseconds.Count / 2);

    public double Max => Milliseconds.Max();
}
