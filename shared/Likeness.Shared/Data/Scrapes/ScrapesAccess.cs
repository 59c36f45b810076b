using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace Likeness.Shared.Data;

/// <summary>Access functions for <c>scrapes</c>: social media scraping results and their retry tracking.</summary>
public sealed class ScrapesAccess(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "id, account_id, linkhash, link, name, avatar, followers, error, raw_data, attempt_count, last_attempt_at, created_at, updated_at";

    /// <summary>
    /// The <c>linkhash</c> of a scraped URL: lowercase hex SHA-256 of the trimmed URL, so the same link
    /// written with stray whitespace still lands on the same row.
    /// </summary>
    public static string ComputeLinkhash(string link)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(link);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(link.Trim())));
    }

    /// <returns>The account's scrapes, oldest first.</returns>
    public async Task<IReadOnlyList<Scrape>> GetScrapesByAccountIdAsync(string accountId, CancellationToken cancellationToken = default)
    {
        Guard.Id(accountId, nameof(accountId));
        await using var command = dataSource.Command(
            $"SELECT {Columns} FROM scrapes WHERE account_id = $1 ORDER BY created_at, id", accountId);
        return await command.ReadAllAsync(Map, cancellationToken);
    }

    /// <summary>
    /// Stores the result of scraping the link, replacing the previous result for the same account and link.
    /// The attempt counter is left alone: it belongs to <see cref="IncrementScrapeAttemptCountAsync"/> and
    /// <see cref="ResetScrapeAttemptCountAsync"/>.
    /// </summary>
    public async Task<Scrape> UpsertScrapeAsync(NewScrape data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        Guard.Id(data.AccountId, nameof(data.AccountId));
        ArgumentException.ThrowIfNullOrWhiteSpace(data.Link, nameof(data.Link));
        if (data.Followers is { } followers)
        {
            Guard.NotNegative(followers, nameof(data.Followers));
        }
        if (data.RawData is { ValueKind: JsonValueKind.Undefined })
        {
            throw new ArgumentException("Raw data must be a JSON value or null.", nameof(data.RawData));
        }
        var link = data.Link.Trim();
        await using var command = dataSource.Command($"""
            INSERT INTO scrapes (id, account_id, linkhash, link, name, avatar, followers, error, raw_data)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (account_id, linkhash) DO UPDATE
            SET link = EXCLUDED.link, name = EXCLUDED.name, avatar = EXCLUDED.avatar, followers = EXCLUDED.followers,
                error = EXCLUDED.error, raw_data = EXCLUDED.raw_data, updated_at = now()
            RETURNING {Columns}
            """,
            NanoId.New(), data.AccountId, ComputeLinkhash(link), link, data.Name, data.Avatar, data.Followers, data.Error,
            Db.Jsonb(data.RawData?.GetRawText()));
        return (await command.ReadFirstOrDefaultAsync(Map, cancellationToken))!;
    }

    /// <summary>Records a failed scrape attempt; the increment happens in SQL so concurrent workers never lose one.</summary>
    /// <returns>The new attempt count, or null when there is no scrape for the account and link.</returns>
    public async Task<int?> IncrementScrapeAttemptCountAsync(string accountId, string linkhash, CancellationToken cancellationToken = default)
    {
        Guard.Id(accountId, nameof(accountId));
        Guard.Id(linkhash, nameof(linkhash));
        await using var command = dataSource.Command("""
            UPDATE scrapes
            SET attempt_count = attempt_count + 1, last_attempt_at = now(), updated_at = now()
            WHERE account_id = $1 AND linkhash = $2
            RETURNING attempt_count
            """, accountId, linkhash);
        return await command.ExecuteScalarAsync(cancellationToken) as int?;
    }

    /// <summary>Gives the link a fresh set of scrape attempts; the time of the last attempt is kept as history.</summary>
    /// <returns>False when there is no scrape for the account and link.</returns>
    public async Task<bool> ResetScrapeAttemptCountAsync(string accountId, string linkhash, CancellationToken cancellationToken = default)
    {
        Guard.Id(accountId, nameof(accountId));
        Guard.Id(linkhash, nameof(linkhash));
        await using var command = dataSource.Command(
            "UPDATE scrapes SET attempt_count = 0, updated_at = now() WHERE account_id = $1 AND linkhash = $2",
            accountId, linkhash);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static Scrape Map(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3),
        r.GetNullableString(4), r.GetNullableString(5), r.GetNullable<long>(6), r.GetNullableString(7),
        r.GetNullableString(8) is { } json ? JsonSerializer.Deserialize<JsonElement>(json) : null,
        r.GetInt32(9), r.GetNullable<DateTimeOffset>(10),
        r.GetFieldValue<DateTimeOffset>(11), r.GetFieldValue<DateTimeOffset>(12));
}
