using System.Text.Json;
using Npgsql;

namespace Likeness.Shared.Data;

/// <summary>Access functions for <c>likeness_assets</c>: uploaded images and voice recordings with their AI-extracted tags.</summary>
public sealed class LikenessAssetsAccess(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "id, account_id, type::text, content_url, search_tags, voice_sample_url, tag_attempt_count, tag_last_attempt_at, created_at, updated_at, voice_id";

    public async Task<LikenessAsset?> GetAssetByIdAsync(string id, CancellationToken cancellationToken = default)
    {
        Guard.Id(id, nameof(id));
        await using var command = dataSource.Command($"SELECT {Columns} FROM likeness_assets WHERE id = $1", id);
        return await command.ReadFirstOrDefaultAsync(Map, cancellationToken);
    }

    /// <returns>The account's assets, oldest first.</returns>
    public async Task<IReadOnlyList<LikenessAsset>> ListAssetsByAccountIdAsync(string accountId, CancellationToken cancellationToken = default)
    {
        Guard.Id(accountId, nameof(accountId));
        await using var command = dataSource.Command(
            $"SELECT {Columns} FROM likeness_assets WHERE account_id = $1 ORDER BY created_at, id", accountId);
        return await command.ReadAllAsync(Map, cancellationToken);
    }

    /// <summary>The account's assets still without tags that have not yet used up their extraction attempts, oldest first.</summary>
    public async Task<IReadOnlyList<LikenessAsset>> GetUnprocessedAssetsAsync(string accountId, int maxAttempts, CancellationToken cancellationToken = default)
    {
        Guard.Id(accountId, nameof(accountId));
        Guard.Positive(maxAttempts, nameof(maxAttempts));
        await using var command = dataSource.Command($"""
            SELECT {Columns} FROM likeness_assets
            WHERE account_id = $1 AND search_tags IS NULL AND tag_attempt_count < $2
            ORDER BY created_at, id
            """, accountId, maxAttempts);
        return await command.ReadAllAsync(Map, cancellationToken);
    }

    public async Task<LikenessAsset> CreateAssetAsync(NewLikenessAsset data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        Guard.Id(data.AccountId, nameof(data.AccountId));
        Guard.Defined(data.Type, nameof(data.Type));
        ArgumentException.ThrowIfNullOrWhiteSpace(data.ContentUrl, nameof(data.ContentUrl));
        await using var command = dataSource.Command($"""
            INSERT INTO likeness_assets (id, account_id, type, content_url, search_tags, voice_sample_url)
            VALUES ($1, $2, $3::likeness_assets_type, $4, $5, $6)
            RETURNING {Columns}
            """,
            NanoId.New(), data.AccountId, DbEnum<AssetType>.ToLabel(data.Type), data.ContentUrl,
            Db.Jsonb(SerializeTags(data.SearchTags)), data.VoiceSampleUrl);
        return (await command.ReadFirstOrDefaultAsync(Map, cancellationToken))!;
    }

    /// <returns>False when the asset does not exist.</returns>
    public async Task<bool> UpdateAssetSearchTagsAsync(string id, SearchAttributes searchTags, CancellationToken cancellationToken = default)
    {
        Guard.Id(id, nameof(id));
        ArgumentNullException.ThrowIfNull(searchTags);
        await using var command = dataSource.Command(
            "UPDATE likeness_assets SET search_tags = $2, updated_at = now() WHERE id = $1",
            id, Db.Jsonb(SerializeTags(searchTags)));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <returns>False when the asset does not exist.</returns>
    public async Task<bool> UpdateAssetVoiceSampleAsync(string id, string voiceSampleUrl, CancellationToken cancellationToken = default)
    {
        Guard.Id(id, nameof(id));
        ArgumentException.ThrowIfNullOrWhiteSpace(voiceSampleUrl);
        await using var command = dataSource.Command(
            "UPDATE likeness_assets SET voice_sample_url = $2, updated_at = now() WHERE id = $1", id, voiceSampleUrl);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// Links the VOICE asset to the clone made from it. Each clone belongs to one asset (a unique
    /// index), and the clone must be the account's own (a foreign key to <c>eleven_labs</c>).
    /// </summary>
    /// <returns>False when the asset does not exist.</returns>
    public async Task<bool> UpdateAssetVoiceIdAsync(string id, string voiceId, CancellationToken cancellationToken = default)
    {
        Guard.Id(id, nameof(id));
        Guard.Id(voiceId, nameof(voiceId));
        await using var command = dataSource.Command(
            "UPDATE likeness_assets SET voice_id = $2, updated_at = now() WHERE id = $1", id, voiceId);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Records a failed extraction attempt; the increment happens in SQL so concurrent workers never lose one.</summary>
    /// <returns>The new attempt count, or null when the asset does not exist.</returns>
    public async Task<int?> IncrementTagAttemptCountAsync(string id, CancellationToken cancellationToken = default)
    {
        Guard.Id(id, nameof(id));
        await using var command = dataSource.Command("""
            UPDATE likeness_assets
            SET tag_attempt_count = tag_attempt_count + 1, tag_last_attempt_at = now(), updated_at = now()
            WHERE id = $1
            RETURNING tag_attempt_count
            """, id);
        return await command.ExecuteScalarAsync(cancellationToken) as int?;
    }

    /// <summary>Gives the asset a fresh set of extraction attempts; the time of the last attempt is kept as history.</summary>
    /// <returns>False when the asset does not exist.</returns>
    public async Task<bool> ResetTagAttemptCountAsync(string id, CancellationToken cancellationToken = default)
    {
        Guard.Id(id, nameof(id));
        await using var command = dataSource.Command(
            "UPDATE likeness_assets SET tag_attempt_count = 0, updated_at = now() WHERE id = $1", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static string? SerializeTags(SearchAttributes? tags) =>
        tags is null ? null : JsonSerializer.Serialize(tags, LikenessJson.Options);

    private static LikenessAsset Map(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetEnum<AssetType>(2), r.GetString(3),
        r.GetNullableString(4) is { } json ? JsonSerializer.Deserialize<SearchAttributes>(json, LikenessJson.Options) : null,
        r.GetNullableString(5), r.GetInt32(6), r.GetNullable<DateTimeOffset>(7),
        r.GetFieldValue<DateTimeOffset>(8), r.GetFieldValue<DateTimeOffset>(9), r.GetNullableString(10));
}
