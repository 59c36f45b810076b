using System.Text.Json;
using Npgsql;

namespace Likeness.Shared.Data;

/// <summary>
/// Access functions for <c>likeness_need_indexing_queue</c>, the event queue that drives indexing.
/// </summary>
/// <remarks>
/// Every status change is guarded by the states it may legally come from, so a late or duplicate
/// call from a worker that lost its event to a timeout changes nothing and returns false:
/// PENDING -> IN_PROGRESS (claim); IN_PROGRESS -> COMPLETED / FAILED / AWAITING_RETRY, -> PENDING
/// (a run cancelled by shutdown gives its event back without spending an attempt), -> TIMEOUT when
/// its heartbeat stopped, or FAILED when that was the last attempt; PENDING -> DISCARDED;
/// AWAITING_RETRY / TIMEOUT -> PENDING when due. A running event's heartbeat is its
/// <c>updated_at</c>, refreshed while IN_PROGRESS. Finished events (COMPLETED, DISCARDED, FAILED)
/// are deleted once past their retention. Timestamps come from the database clock so that several
/// machines agree on what "old" and "due" mean.
/// </remarks>
public sealed class LikenessNeedIndexingQueueAccess(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Most retries an event gets: <see cref="QueueEvent.RetryCount"/> counts the retries scheduled
    /// (after a failure or a timeout), so an event is attempted up to six times and ends FAILED
    /// when the sixth attempt fails, with this retry count.
    /// </summary>
    public const int MaxRetryCount = 5;

    // Each lost race means another worker claimed an event of the same account, which the next
    // attempt then sees and skips, so a handful of attempts is plenty.
    private const int MaxClaimAttempts = 10;

    private const string OneInProgressPerAccount = "likeness_need_indexing_queue_one_in_progress_per_account";

    private const string Columns =
        "id, account_id, element_type::text, element_id, status::text, info, retry_count, retry_at, created_at, updated_at";

    /// <param name="elementId">Id of the element that changed, or null when the event concerns the account as a whole.</param>
    /// <param name="info">A JSON object (or null); objects keep the error and reason details merged in later readable.</param>
    public async Task<QueueEvent> AddToQueueAsync(string accountId, QueueElementType elementType, string? elementId, JsonElement? info, CancellationToken cancellationToken = default)
    {
        Guard.Id(accountId, nameof(accountId));
        Guard.Defined(elementType, nameof(elementType));
        if (elementId is not null)
        {
            Guard.Id(elementId, nameof(elementId));
        }
        if (info is { ValueKind: not JsonValueKind.Object })
        {
            throw new ArgumentException("Queue event info must be a JSON object.", nameof(info));
        }
        await using var command = dataSource.Command($"""
            INSERT INTO likeness_need_indexing_queue (id, account_id, element_type, element_id, info)
            VALUES ($1, $2, $3::likeness_need_indexing_queue_element_type, $4, $5)
            RETURNING {Columns}
            """,
            NanoId.New(), accountId, DbEnum<QueueElementType>.ToLabel(elementType), elementId, Db.Jsonb(info?.GetRawText()));
        return (await command.ReadFirstOrDefaultAsync(Map, cancellationToken))!;
    }

    /// <returns>The oldest PENDING event, or null when there is none.</returns>
    public async Task<QueueEvent?> GetOldestPendingEventAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.Command($"""
            SELECT {Columns} FROM likeness_need_indexing_queue
            WHERE status = 'PENDING'
            ORDER BY created_at, id
            LIMIT 1
            """);
        return await command.ReadFirstOrDefaultAsync(Map, cancellationToken);
    }

    /// <summary>
    /// The ids of the events a claim may take, oldest first: each account's oldest PENDING event,
    /// when the account has none IN_PROGRESS. The claim adds its LIMIT and row locks.
    /// </summary>
    private const string Claimable = """
        SELECT p.id FROM likeness_need_indexing_queue p
        WHERE p.status = 'PENDING'
          AND NOT EXISTS (
              SELECT 1 FROM likeness_need_indexing_queue busy
              WHERE busy.account_id = p.account_id AND busy.status = 'IN_PROGRESS')
          AND NOT EXISTS (
              SELECT 1 FROM likeness_need_indexing_queue older
              WHERE older.account_id = p.account_id AND older.status = 'PENDING'
                AND (older.created_at, older.id) < (p.created_at, p.id))
        ORDER BY p.created_at, p.id
        """;

    /// <summary>
    /// Atomically moves the oldest PENDING event whose account has no IN_PROGRESS event to IN_PROGRESS.
    /// Concurrent workers never claim the same event, and never two events of the same account.
    /// </summary>
    /// <remarks>
    /// Only an account's oldest PENDING event is a candidate. Without changing which event is claimed,
    /// that makes a worker skip the whole account when another worker has its oldest event locked,
    /// instead of picking the account's next event and losing the race on the unique index.
    /// </remarks>
    /// <returns>
    /// The claimed event; null when nothing is claimable, or (rarely) when every attempt lost a race
    /// to other workers, which were then busy claiming: poll again later.
    /// </returns>
    public async Task<QueueEvent?> ClaimNextPendingEventAsync(CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; attempt <= MaxClaimAttempts; attempt++)
        {
            try
            {
                await using var command = dataSource.Command($"""
                    UPDATE likeness_need_indexing_queue
                    SET status = 'IN_PROGRESS', updated_at = now()
                    WHERE id = ({Claimable} LIMIT 1 FOR UPDATE SKIP LOCKED)
                    RETURNING {Columns}
                    """);
                return await command.ReadFirstOrDefaultAsync(Map, cancellationToken);
            }
            catch (PostgresException e) when (IsAnotherEventOfTheAccountInProgress(e))
            {
                // Another worker claimed an event of the same account after this statement's snapshot was
                // taken; the partial unique index refused the second claim. The next attempt sees and skips it.
            }
        }
        return null;
    }

    public const int MaxClaimBatch = 1000;

    /// <summary>
    /// Atomically claims up to <paramref name="count"/> events, as <see cref="ClaimNextPendingEventAsync"/>
    /// claims one (the oldest PENDING event of each account without an IN_PROGRESS one, oldest first,
    /// never two of one account), and in the same statement discards the other PENDING events of
    /// the claimed accounts (as <see cref="MarkOtherPendingEventsAsDiscardedAsync"/> does): one
    /// statement and one commit for what took two per event.
    /// </summary>
    /// <remarks>
    /// Discarding at claim time is safe because each claimed event's run starts after the claim
    /// committed, so it reads every change the discarded events announced. The caller holds the
    /// claimed events until it completes them or gives them back (<see cref="MarkEventsPendingAsync"/>)
    /// and keeps their heartbeats (<see cref="RefreshEventHeartbeatsAsync"/>) meanwhile, or the sweep
    /// takes them back as TIMEOUT.
    /// </remarks>
    /// <returns>
    /// The claimed events, oldest first, and how many events were discarded; no events when nothing
    /// is claimable, or (rarely) when every attempt lost a race to other workers: poll again later.
    /// </returns>
    public async Task<ClaimedEvents> ClaimPendingEventsAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxClaimBatch);
        for (var attempt = 1; attempt <= MaxClaimAttempts; attempt++)
        {
            try
            {
                // The claim need not wait for its WAL to reach disk (the batch is one implicit
                // transaction, so the setting lasts for it alone). If the server crashed before the
                // flush, the claim is undone and its events are PENDING again; nothing of their
                // runs can have committed meanwhile, because every later commit flushes this one's
                // WAL first. So an event is still completed exactly once.
                await using var batch = dataSource.CreateBatch();
                batch.BatchCommands.Add(Db.BatchCommand("SELECT set_config('synchronous_commit', 'off', true)"));
                batch.BatchCommands.Add(Db.BatchCommand($$"""
                    WITH claimable AS ({{Claimable}} LIMIT $1 FOR UPDATE SKIP LOCKED),
                    claimed AS (
                        UPDATE likeness_need_indexing_queue q
                        SET status = 'IN_PROGRESS', updated_at = now()
                        FROM claimable c
                        WHERE q.id = c.id
                        RETURNING q.*),
                    discarded AS (
                        UPDATE likeness_need_indexing_queue d
                        SET status = 'DISCARDED',
                            info = coalesce(d.info, '{}'::jsonb) || jsonb_build_object('reason', 'superseded', 'supersededBy', c.id),
                            updated_at = now()
                        FROM claimed c
                        WHERE d.account_id = c.account_id AND d.id <> c.id AND d.status = 'PENDING'
                        RETURNING d.id)
                    SELECT {{Columns}}, (SELECT count(*)::int FROM discarded)
                    FROM claimed
                    ORDER BY created_at, id
                    """, count));
                var rows = new List<(QueueEvent Event, int Discarded)>();
                await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
                {
                    await reader.NextResultAsync(cancellationToken);
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        rows.Add((Map(reader), reader.GetInt32(10)));
                    }
                }
                return new ClaimedEvents([.. rows.Select(r => r.Event)], rows.Count == 0 ? 0 : rows[0].Discarded);
            }
            catch (PostgresException e) when (IsAnotherEventOfTheAccountInProgress(e))
            {
                // As in ClaimNextPendingEventAsync: the next attempt sees the other worker's claim and skips its account.
            }
        }
        return new ClaimedEvents([], 0);
    }

    public async Task<QueueEvent?> GetEventByIdAsync(string eventId, CancellationToken cancellationToken = default)
    {
        Guard.Id(eventId, nameof(eventId));
        await using var command = dataSource.Command($"SELECT {Columns} FROM likeness_need_indexing_queue WHERE id = $1", eventId);
        return await command.ReadFirstOrDefaultAsync(Map, cancellationToken);
    }

    /// <summary>PENDING -> IN_PROGRESS, unless another event of the same account is already in progress.</summary>
    /// <returns>True when the transition happened.</returns>
    public async Task<bool> MarkEventInProgressAsync(string eventId, CancellationToken cancellationToken = default)
    {
        Guard.Id(eventId, nameof(eventId));
        await using var command = dataSource.Command("""
            UPDATE likeness_need_indexing_queue q
            SET status = 'IN_PROGRESS', updated_at = now()
            WHERE q.id = $1 AND q.status = 'PENDING'
              AND NOT EXISTS (
                  SELECT 1 FROM likeness_need_indexing_queue busy
                  WHERE busy.account_id = q.account_id AND busy.status = 'IN_PROGRESS')
            """, eventId);
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }
        catch (PostgresException e) when (IsAnotherEventOfTheAccountInProgress(e))
        {
            return false;
        }
    }

    private const string CompleteSql = """
        UPDATE likeness_need_indexing_queue
        SET status = 'COMPLETED',
            info = CASE WHEN $2::text IS NULL THEN info ELSE coalesce(info, '{}'::jsonb) || jsonb_build_object('result', $2::text) END,
            updated_at = now()
        WHERE id = $1 AND status = 'IN_PROGRESS'
        """;

    /// <summary>IN_PROGRESS -> COMPLETED, recording <c>{"result": result}</c> in the event's info when given.</summary>
    /// <returns>True when the transition happened.</returns>
    public async Task<bool> MarkEventCompletedAsync(string eventId, string? result = null, CancellationToken cancellationToken = default)
    {
        Guard.Id(eventId, nameof(eventId));
        await using var command = dataSource.Command(CompleteSql, eventId, Db.Text(result));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary><see cref="MarkEventCompletedAsync"/> as a statement for a caller's batch.</summary>
    internal static NpgsqlBatchCommand MarkEventCompletedCommand(string eventId, string? result)
    {
        Guard.Id(eventId, nameof(eventId));
        return Db.BatchCommand(CompleteSql, eventId, Db.Text(result));
    }

    /// <summary>
    /// IN_PROGRESS -> FAILED, recording <c>{"error": errorInfo}</c> in the event's info. The retry
    /// count is left as it is: it counts the retries the event had, and this failure schedules none.
    /// </summary>
    /// <returns>True when the transition happened.</returns>
    public async Task<bool> MarkEventFailedAsync(string eventId, string errorInfo, CancellationToken cancellationToken = default)
    {
        Guard.Id(eventId, nameof(eventId));
        ArgumentException.ThrowIfNullOrWhiteSpace(errorInfo);
        await using var command = dataSource.Command("""
            UPDATE likeness_need_indexing_queue
            SET status = 'FAILED', info = coalesce(info, '{}'::jsonb) || jsonb_build_object('error', $2::text), updated_at = now()
            WHERE id = $1 AND status = 'IN_PROGRESS'
            """, eventId, errorInfo);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>PENDING -> DISCARDED, recording <c>{"reason": reason}</c> in the event's info.</summary>
    /// <returns>True when the transition happened.</returns>
    public async Task<bool> MarkEventDiscardedAsync(string eventId, string reason, CancellationToken cancellationToken = default)
    {
        Guard.Id(eventId, nameof(eventId));
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        await using var command = dataSource.Command("""
            UPDATE likeness_need_indexing_queue
            SET status = 'DISCARDED', info = coalesce(info, '{}'::jsonb) || jsonb_build_object('reason', $2::text), updated_at = now()
            WHERE id = $1 AND status = 'PENDING'
            """, eventId, reason);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// IN_PROGRESS -> AWAITING_RETRY until <paramref name="retryAt"/>, counting the retry and, when
    /// given, recording <c>{"error": errorInfo}</c> in the event's info (the latest error wins).
    /// Refused when the event has had its <see cref="MaxRetryCount"/> retries: mark it failed instead.
    /// </summary>
    /// <returns>True when the transition happened.</returns>
    public async Task<bool> MarkEventAwaitingRetryAsync(string eventId, DateTimeOffset retryAt, string? errorInfo = null, CancellationToken cancellationToken = default)
    {
        Guard.Id(eventId, nameof(eventId));
        if (errorInfo is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(errorInfo);
        }
        // Npgsql writes only UTC offsets to timestamptz; the instant is what matters.
        await using var command = dataSource.Command("""
            UPDATE likeness_need_indexing_queue
            SET status = 'AWAITING_RETRY', retry_count = retry_count + 1, retry_at = $2,
                info = CASE WHEN $4::text IS NULL THEN info ELSE coalesce(info, '{}'::jsonb) || jsonb_build_object('error', $4::text) END,
                updated_at = now()
            WHERE id = $1 AND status = 'IN_PROGRESS' AND retry_count < $3
            """, eventId, retryAt.ToUniversalTime(), MaxRetryCount, Db.Text(errorInfo));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// Keeps a running event's heartbeat: its <c>updated_at</c> becomes now, so the sweep leaves it
    /// alone for another <c>InProgressTimeout</c>.
    /// </summary>
    /// <returns>False when the event is no longer IN_PROGRESS (it was swept, or finished).</returns>
    public async Task<bool> RefreshEventHeartbeatAsync(string eventId, CancellationToken cancellationToken = default)
    {
        Guard.Id(eventId, nameof(eventId));
        await using var command = dataSource.Command(
            "UPDATE likeness_need_indexing_queue SET updated_at = now() WHERE id = $1 AND status = 'IN_PROGRESS'", eventId);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary><see cref="RefreshEventHeartbeatAsync"/> for several events in one statement.</summary>
    /// <returns>The ids of those still IN_PROGRESS, whose heartbeat was refreshed.</returns>
    public async Task<IReadOnlySet<string>> RefreshEventHeartbeatsAsync(IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default)
    {
        var ids = Ids(eventIds);
        if (ids.Length == 0)
        {
            return new HashSet<string>();
        }
        await using var command = dataSource.Command(
            "UPDATE likeness_need_indexing_queue SET updated_at = now() WHERE id = ANY($1) AND status = 'IN_PROGRESS' RETURNING id", (object)ids);
        return (await command.ReadAllAsync(r => r.GetString(0), cancellationToken)).ToHashSet();
    }

    /// <summary>
    /// <see cref="MarkEventPendingAsync"/> for several events in one statement: claimed events that
    /// were never started go back without spending an attempt.
    /// </summary>
    /// <returns>How many events became PENDING.</returns>
    public async Task<int> MarkEventsPendingAsync(IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default)
    {
        var ids = Ids(eventIds);
        if (ids.Length == 0)
        {
            return 0;
        }
        await using var command = dataSource.Command(
            "UPDATE likeness_need_indexing_queue SET status = 'PENDING', updated_at = now() WHERE id = ANY($1) AND status = 'IN_PROGRESS'", (object)ids);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string[] Ids(IReadOnlyCollection<string> eventIds)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        foreach (var id in eventIds)
        {
            Guard.Id(id, nameof(eventIds));
        }
        return [.. eventIds.Distinct()];
    }

    /// <summary>
    /// IN_PROGRESS -> PENDING without counting an attempt: the run was cancelled (the host is
    /// shutting down), not failed, so the event waits for the next run as if never claimed.
    /// </summary>
    /// <returns>True when the transition happened.</returns>
    public async Task<bool> MarkEventPendingAsync(string eventId, CancellationToken cancellationToken = default)
    {
        Guard.Id(eventId, nameof(eventId));
        await using var command = dataSource.Command(
            "UPDATE likeness_need_indexing_queue SET status = 'PENDING', updated_at = now() WHERE id = $1 AND status = 'IN_PROGRESS'", eventId);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// Sweeps events whose heartbeat (<c>updated_at</c>) is older than <paramref name="olderThan"/>:
    /// their worker is gone. One with retries left becomes TIMEOUT, counting the retry and due at
    /// once; one that was on its last attempt becomes FAILED, the reason in its info.
    /// </summary>
    /// <returns>The events swept, in their new state.</returns>
    public async Task<IReadOnlyList<QueueEvent>> MarkTimedOutEventsAsync(TimeSpan olderThan, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(olderThan, TimeSpan.Zero);
        await using var command = dataSource.Command($$"""
            UPDATE likeness_need_indexing_queue
            SET status = CASE WHEN retry_count < $2 THEN 'TIMEOUT' ELSE 'FAILED' END::likeness_need_indexing_queue_status,
                retry_count = CASE WHEN retry_count < $2 THEN retry_count + 1 ELSE retry_count END,
                retry_at = CASE WHEN retry_count < $2 THEN now() ELSE retry_at END,
                info = CASE WHEN retry_count < $2 THEN info ELSE coalesce(info, '{}'::jsonb) || jsonb_build_object('error', $3::text) END,
                updated_at = now()
            WHERE status = 'IN_PROGRESS' AND updated_at < now() - $1::interval
            RETURNING {{Columns}}
            """, olderThan, MaxRetryCount, "timed out on its last attempt");
        return await command.ReadAllAsync(Map, cancellationToken);
    }

    /// <summary>
    /// Moves AWAITING_RETRY and TIMEOUT events whose <c>retry_at</c> has passed back to PENDING.
    /// Both only exist with a retry left (see <see cref="MaxRetryCount"/>).
    /// </summary>
    /// <returns>How many events became PENDING.</returns>
    public async Task<int> ProcessRetryableEventsAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.Command("""
            UPDATE likeness_need_indexing_queue
            SET status = 'PENDING', updated_at = now()
            WHERE status IN ('AWAITING_RETRY', 'TIMEOUT') AND retry_at <= now()
            """);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Deletes up to <paramref name="batchSize"/> finished events past their retention, oldest first:
    /// COMPLETED and DISCARDED ones finished more than <paramref name="finishedOlderThan"/> ago, FAILED
    /// ones more than <paramref name="failedOlderThan"/> ago. A bounded batch keeps each statement's
    /// locks and WAL small; call again while a full batch comes back.
    /// </summary>
    /// <returns>How many COMPLETED or DISCARDED and how many FAILED events were deleted.</returns>
    public async Task<(int Finished, int Failed)> DeleteExpiredEventsAsync(TimeSpan finishedOlderThan, TimeSpan failedOlderThan, int batchSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(finishedOlderThan, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(failedOlderThan, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        await using var command = dataSource.Command("""
            WITH expired AS (
                SELECT id FROM likeness_need_indexing_queue
                WHERE (status IN ('COMPLETED', 'DISCARDED') AND updated_at < now() - $1::interval)
                   OR (status = 'FAILED' AND updated_at < now() - $2::interval)
                ORDER BY updated_at
                LIMIT $3
                FOR UPDATE SKIP LOCKED),
            deleted AS (
                DELETE FROM likeness_need_indexing_queue q USING expired WHERE q.id = expired.id
                RETURNING q.status)
            SELECT count(*) FILTER (WHERE status <> 'FAILED')::int, count(*) FILTER (WHERE status = 'FAILED')::int FROM deleted
            """, finishedOlderThan, failedOlderThan, batchSize);
        return (await command.ReadAllAsync(r => (r.GetInt32(0), r.GetInt32(1)), cancellationToken)).Single();
    }

    /// <summary>
    /// Enqueues a re-index event (LIKENESS_TERM, info <c>{"source": "reindex"}</c>) for each of the
    /// next <paramref name="batchSize"/> accounts after <paramref name="afterAccountId"/> in id order
    /// that are indexable (they meet the base requirements, or are in the search index and may need
    /// removing) or, with <paramref name="staleForModel"/>, whose vector is of another model. An
    /// account that already has an active event (see <see cref="HasActiveEventForAccountAsync"/>) is
    /// skipped, as that event re-indexes it anyway; so running this twice, or beside the timers,
    /// adds no duplicate.
    /// </summary>
    /// <param name="afterAccountId">Null to start at the first account; then the previous batch's <see cref="ReindexBatch.LastAccountId"/>.</param>
    public async Task<ReindexBatch> AddReindexEventsAsync(string? afterAccountId, int batchSize, string? staleForModel, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (staleForModel is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(staleForModel);
        }
        // Ids are made here, one per candidate at most; the n-th candidate takes the n-th.
        var ids = Enumerable.Range(0, batchSize).Select(_ => NanoId.New()).ToArray();
        await using var command = dataSource.Command("""
            WITH candidates AS (
                SELECT a.id, row_number() OVER (ORDER BY a.id) AS n
                FROM account a
                WHERE ($1::text IS NULL OR a.id > $1::text)
                  AND CASE WHEN $3::text IS NULL THEN
                        (coalesce(trim(a.display_name), '') <> '' AND coalesce(trim(a.image_url), '') <> ''
                         AND EXISTS (SELECT 1 FROM ip_terms t WHERE t.account_id = a.id AND t.status = 'APPROVED'))
                        OR EXISTS (SELECT 1 FROM likeness_search s WHERE s.account_id = a.id)
                      ELSE EXISTS (SELECT 1 FROM likeness_search_vector v
                                   WHERE v.account_id = a.id AND v.embedding_model IS DISTINCT FROM $3::text)
                      END
                ORDER BY a.id
                LIMIT $2),
            inserted AS (
                INSERT INTO likeness_need_indexing_queue (id, account_id, element_type, info)
                SELECT ($4::text[])[c.n], c.id, 'LIKENESS_TERM', jsonb_build_object('source', 'reindex')
                FROM candidates c
                WHERE NOT EXISTS (
                    SELECT 1 FROM likeness_need_indexing_queue q
                    WHERE q.account_id = c.id AND q.status IN ('PENDING', 'IN_PROGRESS', 'AWAITING_RETRY', 'TIMEOUT'))
                RETURNING 1)
            SELECT (SELECT count(*)::int FROM candidates), (SELECT count(*)::int FROM inserted), (SELECT max(id) FROM candidates)
            """, Db.Text(afterAccountId), batchSize, Db.Text(staleForModel), ids);
        return (await command.ReadFirstOrDefaultAsync(r => new ReindexBatch(r.GetInt32(0), r.GetInt32(1), r.GetNullableString(2)), cancellationToken))!;
    }

    /// <returns>True when the account has an event PENDING, IN_PROGRESS, AWAITING_RETRY or TIMEOUT (due for a retry).</returns>
    public async Task<bool> HasActiveEventForAccountAsync(string accountId, CancellationToken cancellationToken = default)
    {
        Guard.Id(accountId, nameof(accountId));
        await using var command = dataSource.Command("""
            SELECT EXISTS (
                SELECT 1 FROM likeness_need_indexing_queue
                WHERE account_id = $1 AND status IN ('PENDING', 'IN_PROGRESS', 'AWAITING_RETRY', 'TIMEOUT'))
            """, accountId);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Discards the account's other PENDING events: processing one event re-indexes the whole account,
    /// which covers them. Their info records the reason and the event that superseded them.
    /// </summary>
    /// <returns>How many events were discarded.</returns>
    public async Task<int> MarkOtherPendingEventsAsDiscardedAsync(string accountId, string excludeEventId, CancellationToken cancellationToken = default)
    {
        Guard.Id(accountId, nameof(accountId));
        Guard.Id(excludeEventId, nameof(excludeEventId));
        await using var command = dataSource.Command("""
            UPDATE likeness_need_indexing_queue
            SET status = 'DISCARDED',
                info = coalesce(info, '{}'::jsonb) || jsonb_build_object('reason', 'superseded', 'supersededBy', $2::text),
                updated_at = now()
            WHERE account_id = $1 AND id <> $2 AND status = 'PENDING'
            """, accountId, excludeEventId);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <returns>The event's retry count, or null when the event does not exist.</returns>
    public async Task<int?> GetEventRetryCountAsync(string eventId, CancellationToken cancellationToken = default)
    {
        Guard.Id(eventId, nameof(eventId));
        await using var command = dataSource.Command("SELECT retry_count FROM likeness_need_indexing_queue WHERE id = $1", eventId);
        return await command.ExecuteScalarAsync(cancellationToken) as int?;
    }

    private static bool IsAnotherEventOfTheAccountInProgress(PostgresException e) =>
        e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == OneInProgressPerAccount;

    private static QueueEvent Map(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetEnum<QueueElementType>(2), r.GetNullableString(3), r.GetEnum<QueueStatus>(4),
        r.GetNullableString(5) is { } json ? JsonElement.Parse(json) : null,
        r.GetInt32(6), r.GetNullable<DateTimeOffset>(7), r.GetFieldValue<DateTimeOffset>(8), r.GetFieldValue<DateTimeOffset>(9));
}
