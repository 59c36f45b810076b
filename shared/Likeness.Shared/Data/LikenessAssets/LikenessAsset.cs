namespace Likeness.Shared.Data;

/// <param name="ContentUrl">Media filename of the uploaded image or voice recording.</param>
/// <param name="SearchTags">Tags the AI model extracted; null until extraction succeeds.</param>
/// <param name="VoiceSampleUrl">Media filename of the rendered voice sample (VOICE assets only).</param>
/// <param name="TagAttemptCount">Failed extraction attempts so far.</param>
/// <param name="VoiceId">The ElevenLabs clone (<c>eleven_labs.voice_id</c> of the same account) made from this VOICE asset.</param>
public sealed record LikenessAsset(
    string Id,
    string AccountId,
    AssetType Type,
    string ContentUrl,
    SearchAttributes? SearchTags,
    string? VoiceSampleUrl,
    int TagAttemptCount,
    DateTimeOffset? TagLastAttemptAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? VoiceId = null);

public sealed record NewLikenessAsset(
    string AccountId,
    AssetType Type,
    string ContentUrl,
    SearchAttributes? SearchTags = null,
    string? VoiceSampleUrl = null);
