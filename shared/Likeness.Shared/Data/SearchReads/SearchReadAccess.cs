using System.Text.Json;
using Npgsql;

namespace Likeness.Shared.Data;

/// <summary>An account as a search result needs it, with its <c>likeness_search</c> attributes when it has a row.</summary>
/// <param name="ImageUrl">The profile image's media filename, only while that media is COMPLETE (servable).</param>
public sealed record AccountCard(string Id, string Slug, string? DisplayName, string? ImageUrl, SearchAttributes? Attributes);

/// <summary>
/// Reads for a page of results, each for many accounts in one query (<c>= ANY($1)</c>), so a page
/// costs the same few round trips whatever its size.
/// </summary>
public sealed class SearchReadAccess(NpgsqlDataSource dataSource)
{
    // to_jsonb(row) names the attributes after their columns, which are SearchAttributes'
    // properties in snake case, so this query need not repeat the column list that
    // LikenessSearchAccess owns; extra keys (id, created_at, ...) are ignored.
    private static readonly JsonSerializerOptions RowJson =
        LikenessJson.Configure(new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });

    /// <summary>The accounts that exist among <paramref name="accountIds"/>, by id.</summary>
    /// <param name="withAttributes">
    /// Whether to read each card's <c>likeness_search</c> row too; a caller that has the attributes
    /// already (from the read model) saves the join and the row's JSON.
    /// </param>
    public async Task<IReadOnlyDictionary<string, AccountCard>> GetAccountCardsAsync(
        IReadOnlyCollection<string> accountIds, bool withAttributes = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(accountIds);
        if (accountIds.Count == 0)
        {
            return new Dictionary<string, AccountCard>();
        }
        await using var command = dataSource.Command(withAttributes ? CardsWithAttributesSql : CardsSql, Ids(accountIds));
        var cards = await command.ReadAllAsync(
            r => new AccountCard(
                r.GetString(0), r.GetString(1), r.GetNullableString(2), r.GetNullableString(3),
                withAttributes && !r.IsDBNull(4) ? JsonSerializer.Deserialize<SearchAttributes>(r.GetString(4), RowJson) : null),
            cancellationToken);
        return cards.ToDictionary(c => c.Id);
    }

    private const string CardsSql = """
        SELECT a.id, a.slug, a.display_name, m.filename
        FROM account a
        LEFT JOIN media m ON m.filename = a.image_url AND m.status = 'COMPLETE'
        WHERE a.id = ANY($1)
        """;

    private const string CardsWithAttributesSql = """
        SELECT a.id, a.slug, a.display_name, m.filename, to_jsonb(s)
        FROM account a
        LEFT JOIN likeness_search s ON s.account_id = a.id
        LEFT JOIN media m ON m.filename = a.image_url AND m.status = 'COMPLETE'
        WHERE a.id = ANY($1)
        """;

    /// <summary>The image assets of each account whose media is COMPLETE (servable), oldest first.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<ImageAssetRef>>> GetImageAssetsAsync(IReadOnlyCollection<string> accountIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(accountIds);
        return await ReadAssetsAsync("""
            SELECT a.account_id, a.id, a.content_url FROM likeness_assets a
            JOIN media m ON m.filename = a.content_url AND m.status = 'COMPLETE'
            WHERE a.account_id = ANY($1) AND a.type = 'IMAGE'
            ORDER BY a.account_id, a.created_at, a.id
            """, accountIds, (id, url) => new ImageAssetRef(id, url), cancellationToken);
    }

    /// <summary>
    /// The rendered voice samples of each account that may be heard: one with an approved
    /// VOICE_OVER term, as in <see cref="LikenessSearchVectorAccess.VectorSearchWithVoiceAssetsAsync"/>. Oldest first.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<VoiceAssetRef>>> GetVoiceSamplesAsync(IReadOnlyCollection<string> accountIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(accountIds);
        return await ReadAssetsAsync("""
            SELECT a.account_id, a.id, a.voice_sample_url FROM likeness_assets a
            JOIN media m ON m.filename = a.voice_sample_url AND m.status = 'COMPLETE'
            WHERE a.account_id = ANY($1) AND a.type = 'VOICE'
              AND EXISTS (SELECT 1 FROM ip_terms t WHERE t.account_id = a.account_id AND t.type = 'VOICE_OVER' AND t.status = 'APPROVED')
            ORDER BY a.account_id, a.created_at, a.id
            """, accountIds, (id, url) => new VoiceAssetRef(id, url), cancellationToken);
    }

    private async Task<IReadOnlyDictionary<string, IReadOnlyList<T>>> ReadAssetsAsync<T>(
        string sql, IReadOnlyCollection<string> accountIds, Func<string, string, T> create, CancellationToken cancellationToken)
    {
        if (accountIds.Count == 0)
        {
            return new Dictionary<string, IReadOnlyList<T>>();
        }
        await using var command = dataSource.Command(sql, Ids(accountIds));
        var rows = await command.ReadAllAsync(r => (AccountId: r.GetString(0), Asset: create(r.GetString(1), r.GetString(2))), cancellationToken);
        return rows.GroupBy(row => row.AccountId).ToDictionary(g => g.Key, g => (IReadOnlyList<T>)[.. g.Select(row => row.Asset)]);
    }

    /// <summary>The ids as the one <c>text[]</c> parameter; a bare array would be taken for the whole parameter list.</summary>
    private static object Ids(IReadOnlyCollection<string> accountIds) => accountIds.ToArray();
}
