using Npgsql;

namespace Likeness.Shared.Data;

/// <summary>Access functions for <c>ip_terms</c> (the supporting table the indexer and voice search check).</summary>
public sealed class IpTermsAccess(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, account_id, type::text, status::text, created_at, updated_at";

    public async Task<IpTerm> CreateIpTermAsync(string accountId, IpTermType type, IpTermStatus status, CancellationToken cancellationToken = default)
    {
        Guard.Id(accountId, nameof(accountId));
        Guard.Defined(type, nameof(type));
        Guard.Defined(status, nameof(status));
        await using var command = dataSource.Command(
            $"INSERT INTO ip_terms (id, account_id, type, status) VALUES ($1, $2, $3::ip_terms_type, $4::ip_terms_status) RETURNING {Columns}",
            NanoId.New(), accountId, DbEnum<IpTermType>.ToLabel(type), DbEnum<IpTermStatus>.ToLabel(status));
        return (await command.ReadFirstOrDefaultAsync(Map, cancellationToken))!;
    }

    /// <returns>The account's terms, oldest first.</returns>
    public async Task<IReadOnlyList<IpTerm>> ListIpTermsByAccountIdAsync(string accountId, CancellationToken cancellationToken = default)
    {
        Guard.Id(accountId, nameof(accountId));
        await using var command = dataSource.Command(
            $"SELECT {Columns} FROM ip_terms WHERE account_id = $1 ORDER BY created_at, id", accountId);
        return await command.ReadAllAsync(Map, cancellationToken);
    }

    /// <returns>False when the term does not exist.</returns>
    public async Task<bool> UpdateIpTermStatusAsync(string id, IpTermStatus status, CancellationToken cancellationToken = default)
    {
        Guard.Id(id, nameof(id));
        Guard.Defined(status, nameof(status));
        await using var command = dataSource.Command(
            "UPDATE ip_terms SET status = $2::ip_terms_status, updated_at = now() WHERE id = $1",
            id, DbEnum<IpTermStatus>.ToLabel(status));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// Whether the account has an approved term, of <paramref name="type"/> when given: any type
    /// satisfies the base requirements, while voice samples are shown only under an approved VOICE_OVER term.
    /// </summary>
    public async Task<bool> HasApprovedTermAsync(string accountId, IpTermType? type = null, CancellationToken cancellationToken = default)
    {
        Guard.Id(accountId, nameof(accountId));
        if (type is { } value)
        {
            Guard.Defined(value, nameof(type));
        }
        await using var command = dataSource.Command("""
            SELECT EXISTS (
                SELECT 1 FROM ip_terms
                WHERE account_id = $1 AND status = 'APPROVED' AND ($2::text IS NULL OR type = $2::ip_terms_type))
            """, accountId, Db.Text(DbEnum<IpTermType>.ToLabel(type)));
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static IpTerm Map(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetEnum<IpTermType>(2), r.GetEnum<IpTermStatus>(3),
        r.GetFieldValue<DateTimeOffset>(4), r.GetFieldValue<DateTimeOffset>(5));
}
