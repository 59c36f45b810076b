namespace Likeness.Shared.Data;

/// <summary>A voice cloned on ElevenLabs for an account; settings are percentages (0-100).</summary>
public sealed record ElevenLabsVoice(
    string AccountId,
    string VoiceId,
    string? ModelId,
    int? Stability,
    int? SimilarityBoost,
    int? Style,
    bool? UseSpeakerBoost,
    string? VoiceTitle,
    string? VoiceExample,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <param name="VoiceExample">Media filename of the rendered TTS sample.</param>
public sealed record NewElevenLabsVoice(
    string AccountId,
    string VoiceId,
    string? ModelId = null,
    int? Stability = null,
    int? SimilarityBoost = null,
    int? Style = null,
    bool? UseSpeakerBoost = null,
    string? VoiceTitle = null,
    string? VoiceExample = null);
