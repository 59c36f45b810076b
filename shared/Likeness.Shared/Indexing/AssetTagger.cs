using Likeness.Shared.Data;
using Likeness.Shared.Media;
using Likeness.Shared.Providers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Likeness.Shared.Indexing;

/// <summary>
/// Brings an account's assets up to date: AI tags for assets that have none, and for each voice
/// asset of an account with an approved VoiceOver term, its own ElevenLabs clone and rendered sample.
/// Each step stores its result at once, so a re-run only does what is still missing.
/// </summary>
public sealed class AssetTagger(
    LikenessAssetsAccess assets,
    IpTermsAccess ipTerms,
    ElevenLabsAccess voices,
    MediaLibrary media,
    ITagExtractor extractor,
    IVoiceCloner cloner,
    IOptions<ElevenLabsOptions> voiceOptions,
    ILogger<AssetTagger> logger)
{
    /// <summary>After this many failed attempts an asset is left untagged for good.</summary>
    public const int MaxTagAttempts = 5;

    public async Task TagAssetsAsync(Account account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (extractor.IsConfigured)
        {
            foreach (var asset in await assets.GetUnprocessedAssetsAsync(account.Id, MaxTagAttempts, cancellationToken))
            {
                await TagAsync(asset, cancellationToken);
            }
        }
        if (cloner.IsConfigured && await ipTerms.HasApprovedTermAsync(account.Id, IpTermType.VoiceOver, cancellationToken))
        {
            foreach (var asset in (await assets.ListAssetsByAccountIdAsync(account.Id, cancellationToken))
                .Where(a => a.Type == AssetType.Voice && (a.VoiceId is null || a.VoiceSampleUrl is null)))
            {
                await RenderVoiceSampleAsync(account, asset, cancellationToken);
            }
        }
    }

    private async Task TagAsync(LikenessAsset asset, CancellationToken cancellationToken)
    {
        try
        {
            var file = await media.ReadAsync(asset.ContentUrl, cancellationToken)
                ?? throw new InvalidDataException($"Asset {asset.Id} points at media '{asset.ContentUrl}', which has no content.");
            var tags = asset.Type == AssetType.Image
                ? await extractor.ExtractFromImageAsync(file.Content, file.ContentType, cancellationToken)
                : await extractor.ExtractFromVoiceAsync(file.Content, file.ContentType, cancellationToken);
            await assets.UpdateAssetSearchTagsAsync(asset.Id, tags, cancellationToken);
        }
        catch (Exception error) when (error is ProviderException or InvalidDataException or ArgumentException)
        {
            var attempts = await assets.IncrementTagAttemptCountAsync(asset.Id, CancellationToken.None);
            if (attempts < MaxTagAttempts)
            {
                throw;
            }
            // The asset has had its chances; the account is indexed without its tags.
            logger.LogWarning(error, "Giving up on tagging asset {AssetId} after {Attempts} attempts", asset.Id, attempts);
        }
    }

    /// <summary>
    /// Gives the voice asset its own clone, made from its own recording, and its own sample. The
    /// clone is linked to the asset as soon as it exists, so a retry or a re-index reuses it.
    /// </summary>
    private async Task RenderVoiceSampleAsync(Account account, LikenessAsset asset, CancellationToken cancellationToken)
    {
        var voice = asset.VoiceId is { } linked ? await voices.GetVoiceByAccountAndVoiceIdAsync(account.Id, linked, cancellationToken) : null;
        if (voice is null)
        {
            var recording = await media.ReadAsync(asset.ContentUrl, cancellationToken)
                ?? throw new InvalidDataException($"Asset {asset.Id} points at media '{asset.ContentUrl}', which has no content.");
            var voiceId = await cloner.CreateVoiceAsync(account.DisplayName ?? account.Slug, recording.Content, recording.ContentType, cancellationToken);
            // Recorded straight away so that a retry reuses the clone instead of creating another.
            voice = await voices.UpsertVoiceAsync(
                new NewElevenLabsVoice(account.Id, voiceId, cloner.ModelId, VoiceTitle: account.DisplayName), CancellationToken.None);
            await assets.UpdateAssetVoiceIdAsync(asset.Id, voiceId, CancellationToken.None);
        }
        var sample = voice.VoiceExample;
        if (sample is null)
        {
            var audio = await cloner.RenderSampleAsync(voice.VoiceId, voiceOptions.Value.SampleText, cancellationToken);
            sample = (await media.UploadAsync($"voice-sample-{account.Slug}.mp3", "audio/mpeg", audio, cancellationToken)).Filename;
            await voices.UpdateVoiceExampleAsync(account.Id, voice.VoiceId, sample, CancellationToken.None);
        }
        if (asset.VoiceSampleUrl != sample)
        {
            await assets.UpdateAssetVoiceSampleAsync(asset.Id, sample, cancellationToken);
        }
    }
}
