using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Likeness.Testing;

namespace Likeness.Benchmarks;

/// <summary>What <c>latency</c> measures.</summary>
/// <param name="Events">Profile changes, one account each.</param>
/// <param name="Accounts">Size of the catalogue the accounts are drawn from.</param>
/// <param name="SpreadIntervals">The events start at random moments over this many poll intervals.</param>
internal sealed record LatencyOptions(int Events = 60, int Accounts = 2_000, int SpreadIntervals = 10)
{
    /// <summary>How often the benchmark asks search whether the change is visible.</summary>
    public static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(50);

    /// <summary>An event not visible by then counts as missed (and fails the target).</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(90);

    /// <summary>The target: one poll interval to wait for the next run, and 2 s for the run itself.</summary>
    public static readonly TimeSpan Allowance = TimeSpan.FromSeconds(2);
}

/// <param name="Latencies">POST /api/likeness/queue to the first search answer listing the account, ms.</param>
/// <param name="ToCompleted">POST to the event's COMPLETED (its <c>updated_at</c>), ms: the wait for a run plus the pipeline.</param>
/// <param name="Missed">Events not visible within <see cref="LatencyOptions.GiveUpAfter"/>.</param>
/// <param name="SearchRequests">Polling requests sent, for the load they added.</param>
/// <param name="SearchMeanMs">Their mean round trip: how finely the polling could see the change.</param>
/// <param name="LoadAverage">The machine's load average when the events ended (other work on it shows here).</param>
internal sealed record LatencyReport(
    LatencyOptions Options, string Schedule, TimeSpan PollInterval, LatencyStats Latencies, LatencyStats ToCompleted, int Missed,
    long SearchRequests, double SearchMeanMs, TimeSpan Duration, DateTimeOffset Started, string LoadAverage)
{
    public TimeSpan Target => PollInterval + LatencyOptions.Allowance;

    public bool Met => Missed == 0 && Latencies.P95 <= Target.TotalMilliseconds;
}

/// <summary>
/// Event to searchable: how long after the platform reports a change (<c>POST
/// /api/likeness/queue</c>) the change shows in search, with the timers on their default schedule
/// (ProcessIndexingQueue every 10 s, from local.settings.sample.json) and no AI (offline embedder).
/// The published app runs under the local Functions host with its timers on, on a fresh catalogue.
/// Each event rewrites one indexed account's profile description to state a height no catalogue
/// account has (241-250 cm, which only the description parser yields), reports it as
/// PROFILE_DESCRIPTION, then polls <c>GET /api/likeness/search?minHeight=h&amp;maxHeight=h</c>
/// every 50 ms until the account is listed. Events start at random moments spread over several
/// poll intervals, so they land anywhere in the timer's cycle, as real changes do.
/// </summary>
internal static class LatencyBenchmark
{
    private const string TimerSetting = "Timers__ProcessIndexingQueue__Schedule";
    private const int FirstHeight = 241;
    private const int Heights = 10;

    /// <summary>The <c>latency</c> command: <see cref="RunAsync"/>, then the database template it made is dropped.</summary>
    public static async Task<LatencyReport> RunAloneAsync(LatencyOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync(options, cancellationToken);
        }
        finally
        {
            await TestDatabase.DropTemplateAsync();
        }
    }

    public static async Task<LatencyReport> RunAsync(LatencyOptions options, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var started = DateTimeOffset.UtcNow;
        var repository = Repository.Root();
        var settings = SampleSettings(repository);
        var schedule = settings[TimerSetting];
        var interval = IntervalOf(schedule);
        var work = Directory.CreateTempSubdirectory("likeness-latency-").FullName;
        try
        {
            Console.WriteLine("Publishing the function app and the local Functions host");
            var host = await PublishedApp.PublishHostAsync(repository, work, cancellationToken);
            var app = await PublishedApp.PublishAsync(Path.Combine(repository, "functions", "LikenessFunctions"), work, "app", [], cancellationToken);

            Console.WriteLine($"Catalogue of {options.Accounts} accounts");
            var (database, _) = await CatalogDatabase.CreateAsync(options.Accounts, cancellationToken);
            await using (database)
            {
                var accounts = await PickAccountsAsync(database, options.Events, cancellationToken);
                await using var running = await StartWithTimersAsync(host, app, settings, database.ConnectionString, cancellationToken);
                using var client = new HttpClient { BaseAddress = running.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
                Console.WriteLine($"  {accounts.Count} events over {options.SpreadIntervals} poll intervals of {interval.TotalSeconds:0} s ({schedule})");

                var random = new Random(20_26);
                var spread = interval * options.SpreadIntervals;
                var starts = accounts.Select(_ => spread * random.NextDouble()).ToList();
                var requests = new PollCounter();
                var outcomes = await Task.WhenAll(accounts.Select((account, i) =>
                    MeasureEventAsync(database, client, account, FirstHeight + (i % Heights), starts[i], requests, cancellationToken)));

                var visible = outcomes.Where(o => o.Visible is not null).ToList();
                var completed = await CompletedAfterAsync(database, visible, cancellationToken);
                var report = new LatencyReport(
                    options, schedule, interval,
                    LatencyStats.From(1, [.. visible.Select(o => o.Visible!.Value.TotalMilliseconds)], outcomes.Length - visible.Count, spread.TotalSeconds),
                    LatencyStats.From(1, completed, 0, spread.TotalSeconds),
                    outcomes.Length - visible.Count, requests.Count, requests.MeanMilliseconds, clock.Elapsed, started, MachineInfo.LoadAverage());
                Console.WriteLine(Inv($"  visible after: p50 {report.Latencies.P50 / 1000:0.00} s, p95 {report.Latencies.P95 / 1000:0.00} s, max {report.Latencies.Max / 1000:0.00} s, missed {report.Missed}; target p95 <= {report.Target.TotalSeconds:0} s: {(report.Met ? "met" : "not met")}"));
                return report;
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Search requests sent by all events, and their total time.</summary>
    private sealed class PollCounter
    {
        private long count;
        private long ticks;

        public long Count => Interlocked.Read(ref count);

        public double MeanMilliseconds => Count == 0 ? double.NaN : TimeSpan.FromTicks(Interlocked.Read(ref ticks)).TotalMilliseconds / Count;

        public void Add(TimeSpan elapsed)
        {
            Interlocked.Increment(ref count);
            Interlocked.Add(ref ticks, elapsed.Ticks);
        }
    }

    private sealed record EventOutcome(string AccountId, string EventId, DateTimeOffset Posted, TimeSpan? Visible);

    /// <summary>One event: wait for its start, change the description, report it, poll search until the account shows.</summary>
    private static async Task<EventOutcome> MeasureEventAsync(
        CatalogDatabase database, HttpClient client, string accountId, int height, TimeSpan start, PollCounter polls, CancellationToken cancellationToken)
    {
        await Task.Delay(start, cancellationToken);
        // The platform changes its data first, then reports the change.
        await using (var update = database.DataSource.CreateCommand("UPDATE account SET description = $2, updated_at = now() WHERE id = $1"))
        {
            update.Parameters.Add(new() { Value = accountId });
            update.Parameters.Add(new() { Value = Inv($"Commercial model and actor, {height} cm tall.") });
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        var posted = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        using var response = await client.PostAsJsonAsync(
            new Uri("/api/likeness/queue", UriKind.Relative), new { accountId, elementType = "PROFILE_DESCRIPTION" }, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"POST /api/likeness/queue answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
        var eventId = (await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))!["id"]!.GetValue<string>();

        var query = new Uri(Inv($"/api/likeness/search?minHeight={height}&maxHeight={height}&limit=100"), UriKind.Relative);
        while (clock.Elapsed < LatencyOptions.GiveUpAfter)
        {
            var sent = clock.Elapsed;
            using var search = await client.GetAsync(query, cancellationToken);
            var listed = search.IsSuccessStatusCode && Lists(await search.Content.ReadFromJsonAsync<JsonObject>(cancellationToken), accountId);
            polls.Add(clock.Elapsed - sent);
            if (listed)
            {
                return new EventOutcome(accountId, eventId, posted, clock.Elapsed);
            }
            await Task.Delay(LatencyOptions.PollEvery, cancellationToken);
        }
        Console.WriteLine($"  event {eventId} ({accountId}) not visible after {LatencyOptions.GiveUpAfter.TotalSeconds:0} s");
        return new EventOutcome(accountId, eventId, posted, null);
    }

    private static bool Lists(JsonObject? page, string accountId) =>
        page?["results"] is JsonArray results && results.Any(r => r?["accountId"]?.GetValue<string>() == accountId);

    /// <summary>Indexed accounts whose height is none of the test heights, in a fixed random order.</summary>
    private static async Task<List<string>> PickAccountsAsync(CatalogDatabase database, int count, CancellationToken cancellationToken)
    {
        var accounts = new List<string>();
        await using var command = database.DataSource.CreateCommand("""
            SELECT account_id FROM likeness_search
            WHERE height IS NULL OR height NOT BETWEEN $1 AND $2
            ORDER BY md5(account_id) LIMIT $3
            """);
        command.Parameters.Add(new() { Value = FirstHeight });
        command.Parameters.Add(new() { Value = FirstHeight + Heights - 1 });
        command.Parameters.Add(new() { Value = count });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            accounts.Add(reader.GetString(0));
        }
        if (accounts.Count < count)
        {
            throw new InvalidOperationException($"The catalogue has only {accounts.Count} indexed accounts to change; {count} needed.");
        }
        return accounts;
    }

    /// <summary>POST to COMPLETED per visible event, from the event's own <c>updated_at</c> (same machine, same clock).</summary>
    private static async Task<List<double>> CompletedAfterAsync(CatalogDatabase database, List<EventOutcome> outcomes, CancellationToken cancellationToken)
    {
        var posted = outcomes.ToDictionary(o => o.EventId, o => o.Posted);
        var result = new List<double>();
        await using var command = database.DataSource.CreateCommand(
            "SELECT id, updated_at FROM likeness_need_indexing_queue WHERE id = ANY($1) AND status = 'COMPLETED'");
        command.Parameters.Add(new() { Value = posted.Keys.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add((reader.GetFieldValue<DateTimeOffset>(1) - posted[reader.GetString(0)]).TotalMilliseconds);
        }
        return result;
    }

    /// <summary>
    /// The published app under the published local host with its timers on (unlike
    /// <see cref="PublishedApp.Start"/>, which turns them off): the settings of
    /// local.settings.sample.json, on the catalogue database and the local Azurite, as Production.
    /// </summary>
    private static async Task<RunningApp> StartWithTimersAsync(
        PublishedApp host, PublishedApp app, IReadOnlyDictionary<string, string> settings, string connectionString, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(app.Dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { host.Dll, "--script-root", info.WorkingDirectory, "--port", port.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in settings)
        {
            info.Environment[key] = value;
        }
        info.Environment["ConnectionStrings__Likeness"] = connectionString;
        info.Environment["MediaStorage__ConnectionString"] = "UseDevelopmentStorage=true";
        info.Environment["AZURE_FUNCTIONS_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        var running = new RunningApp(process, port, Stopwatch.StartNew());
        try
        {
            await running.WaitUntilHealthyAsync(cancellationToken);
            return running;
        }
        catch
        {
            await running.DisposeAsync();
            throw;
        }
    }

    /// <summary>The <c>Values</c> of local.settings.sample.json, the defaults a developer runs with; AI stays off (empty endpoint).</summary>
    private static Dictionary<string, string> SampleSettings(string repository) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(repository, "local.settings.sample.json")))!["Values"]!.AsObject()
            .ToDictionary(pair => pair.Key, pair => (string?)pair.Value ?? "");

    /// <summary>The period of a six-field NCRONTAB "every N seconds" schedule (<c>*/N * * * * *</c>), the only shape the default has.</summary>
    public static TimeSpan IntervalOf(string schedule)
    {
        var fields = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 6 || !fields[0].StartsWith("*/", StringComparison.Ordinal) || fields.Skip(1).Any(f => f != "*")
            || !int.TryParse(fields[0][2..], CultureInfo.InvariantCulture, out var seconds) || seconds <= 0 || 60 % seconds != 0)
        {
            throw new InvalidOperationException($"{TimerSetting} is '{schedule}'; the benchmark knows only '*/N * * * * *' with N dividing 60.");
        }
        return TimeSpan.FromSeconds(seconds);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The report's section for <see cref="LatencyReport"/>, and putting it into docs/benchmarks.md without touching the rest.</summary>
internal static class LatencySection
{
    public const string Heading = "## Event to searchable latency";

    // Where a new section goes when the report has none yet: before these, else at the end.
    private static readonly string[] InsertBefore = ["## Tuning: before and after", "## Trend and projection", "## Closing note"];

    public static void Write(StringBuilder md, LatencyReport report)
    {
        var l = report.Latencies;
        md.AppendLine(Heading);
        md.AppendLine();
        md.AppendLine(Inv($"Measured by the benchmarks' `latency` command (`all` runs it too) on {report.Started:yyyy-MM-dd HH:mm} UTC in {report.Duration.TotalMinutes:0.0} minutes. ") +
            Inv($"The published app under the local Functions host **with its timers on their default schedules** (`{report.Schedule}` for ProcessIndexingQueue, from `local.settings.sample.json`), ") +
            Inv($"no AI endpoint (offline embedder), on a fresh catalogue of {report.Options.Accounts:N0} accounts. ") +
            Inv($"Each of {report.Options.Events} events rewrites one indexed account's profile description to state a height no catalogue account has (241-250 cm; only the description parser yields it), ") +
            "reports it with `POST /api/likeness/queue` (`PROFILE_DESCRIPTION`) and then asks `GET /api/likeness/search?minHeight=h&maxHeight=h` every " +
            Inv($"{LatencyOptions.PollEvery.TotalMilliseconds:0} ms until the account is listed; the latency runs from sending the POST to that answer. ") +
            Inv($"The events start at random moments over {report.Options.SpreadIntervals} poll intervals, so they land anywhere in the timer's cycle. ") +
            Inv($"The polling sent {report.SearchRequests:N0} searches ({report.SearchRequests / (report.Options.SpreadIntervals * report.PollInterval.TotalSeconds):0} per second on average, {report.SearchMeanMs:0} ms each on average) alongside the indexing. ") +
            Inv($"Load average (1 / 5 / 15 min) when the events ended: {report.LoadAverage} on {Environment.ProcessorCount} cores."));
        md.AppendLine();
        md.AppendLine("| | events | p50 | p95 | max | min |");
        md.AppendLine("|---|---|---|---|---|---|");
        md.AppendLine(Inv($"| POST to visible in search | {l.Count} | {Seconds(l.P50)} | {Seconds(l.P95)} | {Seconds(l.Max)} | {Seconds(l.Min)} |"));
        var c = report.ToCompleted;
        md.AppendLine(Inv($"| of which POST to event COMPLETED (wait for a run + pipeline) | {c.Count} | {Seconds(c.P50)} | {Seconds(c.P95)} | {Seconds(c.Max)} | {Seconds(c.Min)} |"));
        md.AppendLine();
        md.AppendLine(Inv($"Target: p95 <= poll interval + {LatencyOptions.Allowance.TotalSeconds:0} s = **{report.Target.TotalSeconds:0} s**, every event visible: ") +
            (report.Met ? "**met**" : "**not met**") +
            Inv($" (p95 {Seconds(l.P95)}, {report.Missed} missed of {report.Options.Events}). ") +
            "An event mostly waits for the next ProcessIndexingQueue run: up to one interval, uniformly, so about half an interval at p50 and 95 % of one at p95; " +
            "the run's claim and pipeline and then the next search poll add the rest (the second row is the first part; the difference between the rows is the poll). " +
            "On a machine shared with other work (the load average above) each of those is slower than on an idle one. " +
            "A shorter schedule shortens the wait in proportion, at the cost of one run (a claim query when the queue is empty) per tick.");
        md.AppendLine();
    }

    /// <summary><paramref name="document"/> with the section of <paramref name="report"/>, if there is one.</summary>
    public static string AddTo(string document, LatencyReport? report)
    {
        if (report is null)
        {
            return document;
        }
        var section = new StringBuilder();
        Write(section, report);
        return Splice(document, section.ToString());
    }

    /// <summary><paramref name="document"/> with its latency section replaced by, or extended with, <paramref name="section"/>.</summary>
    public static string Splice(string document, string section)
    {
        var start = document.IndexOf(Heading, StringComparison.Ordinal);
        if (start >= 0)
        {
            var next = document.IndexOf("\n## ", start + Heading.Length, StringComparison.Ordinal);
            return document[..start] + section + (next < 0 ? "" : document[(next + 1)..]);
        }
        foreach (var heading in InsertBefore)
        {
            var at = document.IndexOf("\n" + heading, StringComparison.Ordinal);
            if (at >= 0)
            {
                return document[..(at + 1)] + section + document[(at + 1)..];
            }
        }
        return document.TrimEnd('\n') + "\n\n" + section;
    }

    private static string Seconds(double milliseconds) => double.IsNaN(milliseconds) ? "-" : Inv($"{milliseconds / 1000:0.00} s");

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
