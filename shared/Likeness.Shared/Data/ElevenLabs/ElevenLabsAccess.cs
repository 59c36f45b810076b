using Npgsql;

namespace Likeness.Shared.Data;

/// <summary>Access functions for <c>eleven_labs</c>, the account's voice clones (shared platform-wide).</summary>
public sealed class ElevenLabsAccess(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "account_id, voice_id, model_id, stability, similarity_boost, style, use_speaker_boost, voice_title, voice_example, created_at, updated_at";

    public async Task<ElevenLabsVoice?> GetVoiceByAccountAndVoiceIdAsync(string accountId, string voiceId, CancellationToken cancellationToken = default)
    {
        Guard.Id(accountId, nameof(accountId));
        Guard.Id(voiceId, nameof(voiceId));
        await using var command = dataSource.Command(
            $"SELECT {Columns} FROM eleven_labs WHERE account_id = $1 AND voice_id = $2", accountId, voiceId);
        return await command.ReadFirstOrDefaultAsync(Map, cancellationToken);
    }

    /// <returns>The account's voices, oldest first.</returns>
    public async Task<IReadOnlyList<ElevenLabsVoice>> ListVoicesByAccountIdAsync(string accountId, CancellationToken cancellationToken = default)
    {
        Guard.Id(accountId, nameof(accountId));
        await using var command = dataSource.Command(
            $"SELECT {Columns} FROM eleven_labs WHERE account_id = $1 ORDER BY created_at, voice_id", accountId);
        return await command.ReadAllAsync(Map, cancellationToken);
    }

    /// <summary>
    /// Inserts the voice or, when the account already has this voice id, replaces every setting
    /// (including the example) with <paramref name="data"/>; <c>created_at</c> is kept.
    /// </summary>
    public async Task<ElevenLabsVoice> UpsertVoiceAsync(NewElevenLabsVoice data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        Guard.Id(data.AccountId, nameof(data.AccountId));
        Guard.Id(data.VoiceId, nameof(data.VoiceId));
        Percentage(data.Stability, nameof(data.Stability));
        Percentage(data.SimilarityBoost, nameof(data.SimilarityBoost));
        Percentage(data.Style, nameof(data.Style));
        await using var command = dataSource.Command($"""
            INSERT INTO eleven_labs (account_id, voice_id, model_id, stability, similarity_boost, style, use_speaker_boost, voice_title, voice_example)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (account_id, voice_id) DO UPDATE SET
                model_id = EXCLUDED.model_id,
                stability = EXCLUDED.stability,
                similarity_boost = EXCLUDED.similarity_boost,
                style = EXCLUDED.style,
                use_speaker_boost = EXCLUDED.use_speaker_boost,
                voice_title = EXCLUDED.voice_title,
                voice_example = EXCLUDED.voice_example,
                updated_at = now()
            RETURNING {Columns}
            """,
            data.AccountId, data.VoiceId, data.ModelId, data.Stability, data.SimilarityBoost, data.Style,
            data.UseSpeakerBoost, data.VoiceTitle, data.VoiceExample);
        return (await command.ReadFirstOrDefaultAsync(Map, cancellationToken))!;
    }

    /// <returns>False when the account has no such voice.</returns>
    public async Task<bool> UpdateVoiceExampleAsync(string accountId, string voiceId, string voiceExampleUrl, CancellationToken cancellationToken = default)
    {
        Guard.Id(accountId, nameof(accountId));
        Guard.Id(voiceId, nameof(voiceId));
        ArgumentException.ThrowIfNullOrWhiteSpace(voiceExampleUrl);
        await using var command = dataSource.Command(
            "UPDATE eleven_labs SET voice_example = $3, updated_at = now() WHERE account_id = $1 AND voice_id = $2",
            accountId, voiceId, voiceExampleUrl);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <returns>False when the account has no such voice.</returns>
    public async Task<bool> DeleteVoiceByAccountAndVoiceIdAsync(string accountId, string voiceId, CancellationToken cancellationToken = default)
    {
        Guard.Id(accountId, nameof(accountId));
        Guard.Id(voiceId, nameof(voiceId));
        await using var command = dataSource.Command(
            "DELETE FROM eleven_labs WHERE account_id = $1 AND voice_id = $2", accountId, voiceId);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <returns>How many voices were deleted.</returns>
    public async Task<int> DeleteAllVoicesByAccountIdAsync(string accountId, CancellationToken cancellationToken = default)
    {
        Guard.Id(accountId, nameof(accountId));
        await using var command = dataSource.Command("DELETE FROM eleven_labs WHERE account_id = $1", accountId);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // The column has a CHECK as well; failing here names the setting instead of a constraint.
    private static void Percentage(int? value, string paramName)
    {
        if (value is { } v)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(v, paramName);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(v, 100, paramName);
        }
    }

    private static ElevenLabsVoice Map(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetNullableString(2), r.GetNullable<int>(3), r.GetNullable<int>(4),
        r.GetNullable<int>(5), r.GetNullable<bool>(6), r.GetNullableString(7), r.GetNullableString(8),
        r.GetFieldValue<DateTimeOffset>(9), r.GetFieldValue<DateTimeOffset>(10));
}
