using Npgsql;

namespace Likeness.Shared.Data;

/// <summary>Access functions for <c>account</c> (the supporting table the search system reads).</summary>
public sealed class AccountsAccess(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, slug, display_name, image_url, description, created_at, updated_at";

    public async Task<Account> CreateAccountAsync(NewAccount data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        Guard.Id(data.Slug, nameof(data.Slug));
        await using var command = dataSource.Command(
            $"INSERT INTO account (id, slug, display_name, image_url, description) VALUES ($1, $2, $3, $4, $5) RETURNING {Columns}",
            NanoId.New(), data.Slug, data.DisplayName, data.ImageUrl, data.Description);
        return (await command.ReadFirstOrDefaultAsync(Map, cancellationToken))!;
    }

    public async Task<Account?> GetAccountByIdAsync(string accountId, CancellationToken cancellationToken = default)
    {
        Guard.Id(accountId, nameof(accountId));
        await using var command = dataSource.Command($"SELECT {Columns} FROM account WHERE id = $1", accountId);
        return await command.ReadFirstOrDefaultAsync(Map, cancellationToken);
    }

    public async Task<bool> AccountExistsAsync(string accountId, CancellationToken cancellationToken = default)
    {
        Guard.Id(accountId, nameof(accountId));
        await using var command = dataSource.Command("SELECT EXISTS (SELECT 1 FROM account WHERE id = $1)", accountId);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>How many accounts there are, e.g. to seed demo data only into an empty database.</summary>
    public async Task<long> CountAccountsAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.Command("SELECT count(*) FROM account");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <returns>False when the account does not exist.</returns>
    public async Task<bool> UpdateAccountProfileAsync(string accountId, string? displayName, string? imageUrl, string? description, CancellationToken cancellationToken = default)
    {
        Guard.Id(accountId, nameof(accountId));
        await using var command = dataSource.Command(
            "UPDATE account SET display_name = $2, image_url = $3, description = $4, updated_at = now() WHERE id = $1",
            accountId, displayName, imageUrl, description);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Deletes the account; every table referencing it cascades.</summary>
    public async Task<bool> DeleteAccountAsync(string accountId, CancellationToken cancellationToken = default)
    {
        Guard.Id(accountId, nameof(accountId));
        await using var command = dataSource.Command("DELETE FROM account WHERE id = $1", accountId);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <returns>Null when the account does not exist.</returns>
    public async Task<BaseRequirements?> GetBaseRequirementsAsync(string accountId, CancellationToken cancellationToken = default)
    {
        Guard.Id(accountId, nameof(accountId));
        await using var command = dataSource.Command("""
            SELECT coalesce(trim(a.display_name), '') <> '',
                   EXISTS (SELECT 1 FROM media m WHERE m.filename = a.image_url AND m.status = 'COMPLETE'),
                   EXISTS (SELECT 1 FROM ip_terms t WHERE t.account_id = a.id AND t.status = 'APPROVED')
            FROM account a
            WHERE a.id = $1
            """, accountId);
        return await command.ReadFirstOrDefaultAsync(
            r => new BaseRequirements(r.GetBoolean(0), r.GetBoolean(1), r.GetBoolean(2)), cancellationToken);
    }

    private static Account Map(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetNullableString(2), r.GetNullableString(3), r.GetNullableString(4),
        r.GetFieldValue<DateTimeOffset>(5), r.GetFieldValue<DateTimeOffset>(6));
}
