using Npgsql;

namespace Likeness.Shared.Data;

/// <summary>
/// Access functions for <c>account_social_links</c>: one link per platform per account. The column's
/// type is <c>account_social_links_platform</c>, which has the same labels as <see cref="Platform"/>'s
/// <c>likeness_search_primary_platform</c>, so the SQL names it explicitly.
/// </summary>
public sealed class AccountSocialLinksAccess(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, account_id, platform::text, url, followers_count, created_at, updated_at";

    /// <returns>The account's links in platform order.</returns>
    public async Task<IReadOnlyList<AccountSocialLink>> GetSocialLinksByAccountIdAsync(string accountId, CancellationToken cancellationToken = default)
    {
        Guard.Id(accountId, nameof(accountId));
        // Qualified, because a bare "platform" would sort by the selected platform::text, alphabetically.
        await using var command = dataSource.Command(
            $"SELECT {Columns} FROM account_social_links WHERE account_id = $1 ORDER BY account_social_links.platform", accountId);
        return await command.ReadAllAsync(Map, cancellationToken);
    }

    public async Task<AccountSocialLink?> GetSocialLinkByAccountAndPlatformAsync(string accountId, Platform platform, CancellationToken cancellationToken = default)
    {
        Guard.Id(accountId, nameof(accountId));
        Guard.Defined(platform, nameof(platform));
        await using var command = dataSource.Command(
            $"SELECT {Columns} FROM account_social_links WHERE account_id = $1 AND platform = $2::account_social_links_platform",
            accountId, DbEnum<Platform>.ToLabel(platform));
        return await command.ReadFirstOrDefaultAsync(Map, cancellationToken);
    }

    /// <summary>Creates the account's link for the platform, or replaces its URL and follower count when there is one.</summary>
    public async Task<AccountSocialLink> UpsertSocialLinkAsync(NewAccountSocialLink data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        Guard.Id(data.AccountId, nameof(data.AccountId));
        Guard.Defined(data.Platform, nameof(data.Platform));
        ArgumentException.ThrowIfNullOrWhiteSpace(data.Url, nameof(data.Url));
        if (data.FollowersCount is { } followers)
        {
            Guard.NotNegative(followers, nameof(data.FollowersCount));
        }
        await using var command = dataSource.Command($"""
            INSERT INTO account_social_links (id, account_id, platform, url, followers_count)
            VALUES ($1, $2, $3::account_social_links_platform, $4, $5)
            ON CONFLICT (account_id, platform) DO UPDATE
            SET url = EXCLUDED.url, followers_count = EXCLUDED.followers_count, updated_at = now()
            RETURNING {Columns}
            """,
            NanoId.New(), data.AccountId, DbEnum<Platform>.ToLabel(data.Platform), data.Url, data.FollowersCount);
        return (await command.ReadFirstOrDefaultAsync(Map, cancellationToken))!;
    }

    /// <returns>False when the link does not exist.</returns>
    public async Task<bool> DeleteSocialLinkAsync(string id, CancellationToken cancellationToken = default)
    {
        Guard.Id(id, nameof(id));
        await using var command = dataSource.Command("DELETE FROM account_social_links WHERE id = $1", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <returns>The sum of the known follower counts over all platforms; 0 when there are none.</returns>
    public async Task<long> GetTotalFollowersCountAsync(string accountId, CancellationToken cancellationToken = default)
    {
        Guard.Id(accountId, nameof(accountId));
        // sum(bigint) is numeric; the cast keeps the result a bigint.
        await using var command = dataSource.Command(
            "SELECT coalesce(sum(followers_count), 0)::bigint FROM account_social_links WHERE account_id = $1", accountId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static AccountSocialLink Map(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetEnum<Platform>(2), r.GetString(3), r.GetNullable<long>(4),
        r.GetFieldValue<DateTimeOffset>(5), r.GetFieldValue<DateTimeOffset>(6));
}
