using System.Diagnostics;
using System.Text.Json;
using Likeness.Shared.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Likeness.Shared.Search.ReadModel;

/// <summary>
/// This instance's in-memory copy of <c>likeness_search</c> (<see cref="SearchSnapshot"/>), kept
/// fresh by the notifications of migration 0003's triggers.
/// </summary>
/// <remarks>
/// One dedicated connection LISTENs on <see cref="Channel"/>. After LISTEN it loads every row by
/// binary COPY, so no change can fall between the load and the first notification. Changed
/// account ids are collected for <see cref="SearchReadModelOptions.Debounce"/>, their rows read
/// again by id, and a new snapshot published by swapping a reference; readers never lock. On
/// every (re)connect and every <see cref="SearchReadModelOptions.ReconcileInterval"/> the whole
/// table is reloaded, since notifications sent while disconnected are lost. While nothing is
/// loaded, or after the connection failed, <see cref="Current"/> is null and search asks
/// PostgreSQL.
/// </remarks>
public sealed class SearchReadModel(
    NpgsqlDataSource dataSource,
    LikenessSearchAccess index,
    IOptions<SearchReadModelOptions> options,
    ILogger<SearchReadModel> logger) : BackgroundService
{
    /// <summary>The notification channel of migration 0003; a payload is a JSON array of account ids, or <see cref="Everything"/>.</summary>
    public const string Channel = "likeness_search_changed";

    private const string Everything = "*";

    private readonly Lock gate = new();
    private HashSet<string> changed = new(StringComparer.Ordinal);
    private bool reloadAll;
    private volatile SearchSnapshot? current;

    private SearchReadModelOptions Options => options.Value;

    /// <summary>The latest snapshot, or null while none is loaded or the listening connection is down.</summary>
    public SearchSnapshot? Current => current;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Options.Enabled)
        {
            logger.LogInformation("Search read model disabled: exact search and facets are answered by PostgreSQL");
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception error) when (error is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                current = null;
                logger.LogWarning(error, "Search read model connection lost; PostgreSQL answers exact searches until it is reloaded in {RetryDelay}", Options.RetryDelay);
                try
                {
                    await Task.Delay(Options.RetryDelay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        current = null;
    }

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        connection.Notification += (_, notification) => Note(notification.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(cancellationToken);
        }
        var rows = await LoadAllAsync(cancellationToken);
        var reconcileAt = Stopwatch.GetTimestamp() + Ticks(Options.ReconcileInterval);
        while (true)
        {
            if (!HasChanges())
            {
                var untilReconcile = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), reconcileAt);
                if (untilReconcile <= TimeSpan.Zero)
                {
                    rows = await LoadAllAsync(cancellationToken);
                    reconcileAt = Stopwatch.GetTimestamp() + Ticks(Options.ReconcileInterval);
                    continue;
                }
                // Returns at a notification (already handed to Note) or at the timeout.
                await WaitAtMostAsync(connection, untilReconcile, cancellationToken);
                continue;
            }
            // Let a burst of writes settle so that it costs one rebuild.
            var settled = Stopwatch.GetTimestamp() + Ticks(Options.Debounce);
            while (Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), settled) is { } left && left > TimeSpan.Zero)
            {
                await WaitAtMostAsync(connection, left, cancellationToken);
            }
            var (ids, all) = TakeChanges();
            if (all)
            {
                rows = await LoadAllAsync(cancellationToken);
                continue;
            }
            await ApplyAsync(rows, ids, cancellationToken);
        }
    }

    private async Task<Dictionary<string, LikenessSearchRow>> LoadAllAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        // Anything noted so far is in the load; later notifications are applied after it.
        TakeChanges();
        var rows = (await index.ExportAllAsync(cancellationToken)).ToDictionary(r => r.AccountId, StringComparer.Ordinal);
        var snapshot = SearchSnapshot.Build(rows.Values);
        current = snapshot;
        logger.LogInformation(
            "Search read model loaded {Rows} rows in {ElapsedMs} ms ({IndexBytes} bytes of bitsets and range columns)",
            snapshot.Count, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, snapshot.IndexBytes);
        return rows;
    }

    private async Task ApplyAsync(Dictionary<string, LikenessSearchRow> rows, HashSet<string> ids, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var fresh = await index.GetSearchIndexByAccountIdsAsync(ids, cancellationToken);
        foreach (var id in ids)
        {
            rows.Remove(id);
        }
        foreach (var row in fresh)
        {
            rows[row.AccountId] = row;
        }
        current = SearchSnapshot.Build(rows.Values);
        logger.LogDebug(
            "Search read model applied {Changed} changed accounts ({Rows} rows) in {ElapsedMs} ms",
            ids.Count, rows.Count, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private void Note(string payload)
    {
        string[]? ids = null;
        try
        {
            ids = payload == Everything ? null : JsonSerializer.Deserialize<string[]>(payload);
        }
        catch (JsonException)
        {
            // Not what the trigger sends: some other writer on the channel. Reloading is always right.
            ids = null;
        }
        lock (gate)
        {
            if (ids is null)
            {
                reloadAll = true;
                return;
            }
            changed.UnionWith(ids);
        }
    }

    private bool HasChanges()
    {
        lock (gate)
        {
            return reloadAll || changed.Count > 0;
        }
    }

    private (HashSet<string> Ids, bool All) TakeChanges()
    {
        lock (gate)
        {
            var taken = (changed, reloadAll);
            (changed, reloadAll) = (new HashSet<string>(StringComparer.Ordinal), false);
            return taken;
        }
    }

    /// <summary>
    /// Waits for a notification, but no longer than <paramref name="timeout"/>. Npgsql takes the
    /// timeout in whole milliseconds and reads 0 as "no timeout", so a remainder under a
    /// millisecond would wait until the next write to the table; it is rounded up instead.
    /// </summary>
    private static Task<bool> WaitAtMostAsync(NpgsqlConnection connection, TimeSpan timeout, CancellationToken cancellationToken) =>
        connection.WaitAsync(TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling(timeout.TotalMilliseconds))), cancellationToken);

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
