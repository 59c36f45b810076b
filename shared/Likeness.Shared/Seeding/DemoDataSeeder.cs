using System.Text.Json;
using Likeness.Shared.Data;
using Likeness.Shared.Media;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Likeness.Shared.Seeding;

public sealed record DemoDataOptions
{
    public const int MaxAccounts = 1_000_000;

    public int Accounts { get; init; } = 300;

    /// <summary>The same seed gives the same people, names, tags and follower counts (ids and media suffixes stay random).</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Seed nothing when the database already has accounts, so a start-up script can seed a fresh machine only.</summary>
    public bool IfEmpty { get; init; }

    public int Parallelism { get; init; } = 8;
}

/// <param name="ExistingAccounts">Accounts in the database before seeding, when <see cref="DemoDataOptions.IfEmpty"/> asked to count them.</param>
/// <param name="AccountsSkipped">Accounts of this seed that already existed (same slug), left as they were.</param>
public sealed record DemoDataSummary(
    bool Skipped,
    long ExistingAccounts,
    int AccountsCreated,
    int AccountsSkipped,
    int ImageAssets,
    int VoiceAssets,
    int IpTerms,
    int SocialLinks,
    int MediaFiles,
    int QueueEvents);

/// <summary>
/// Fills the database with synthetic talent (see <see cref="DemoProfiles"/>): accounts, IP terms,
/// social links, image and voice assets with their tags already extracted, their media files in
/// blob storage, and one indexing event per account, so the queue turns them into search results.
/// </summary>
/// <remarks>
/// Accounts are keyed by their slug, which the seed determines: running the same seed again skips
/// the accounts it already made, and a different seed adds new people.
/// </remarks>
public sealed class DemoDataSeeder(
    AccountsAccess accounts,
    IpTermsAccess ipTerms,
    AccountSocialLinksAccess socialLinks,
    LikenessAssetsAccess assets,
    LikenessNeedIndexingQueueAccess queue,
    MediaLibrary media,
    ILogger<DemoDataSeeder> logger)
{
    private const string SlugTaken = "account_slug_unique";

    public async Task<DemoDataSummary> SeedAsync(DemoDataOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Accounts);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Accounts, DemoDataOptions.MaxAccounts);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Parallelism);

        var existing = 0L;
        if (options.IfEmpty && (existing = await accounts.CountAccountsAsync(cancellationToken)) > 0)
        {
            return new DemoDataSummary(true, existing, 0, 0, 0, 0, 0, 0, 0, 0);
        }

        var totals = new Totals();
        var progressStep = Math.Max(100, options.Accounts / 10);
        await Parallel.ForEachAsync(
            Enumerable.Range(0, options.Accounts),
            new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellationToken },
            async (index, token) =>
            {
                await SeedAccountAsync(DemoProfiles.Generate(options.Seed, index), options.Seed, totals, token);
                if (Interlocked.Increment(ref totals.Processed) is var done && done % progressStep == 0)
                {
                    logger.LogInformation("Seeded {Done} of {Total} demo accounts", done, options.Accounts);
                }
            });
        return totals.ToSummary(existing);
    }

    private async Task SeedAccountAsync(DemoProfile profile, int seed, Totals totals, CancellationToken cancellationToken)
    {
        Account account;
        try
        {
            // Created bare first: a slug that exists already is found before any file is uploaded for it.
            account = await accounts.CreateAccountAsync(new NewAccount(profile.Slug, profile.DisplayName, null, profile.Description), cancellationToken);
        }
        catch (PostgresException error) when (error is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: SlugTaken })
        {
            Interlocked.Increment(ref totals.AccountsSkipped);
            return;
        }

        var images = new List<string>();
        for (var i = 0; i < profile.ImageTags.Count; i++)
        {
            var file = await media.UploadAsync($"{profile.Slug}-photo-{i + 1}.png", "image/png", DemoMediaFiles.Portrait(profile.Person, i), cancellationToken);
            await assets.CreateAssetAsync(new NewLikenessAsset(account.Id, AssetType.Image, file.Filename, profile.ImageTags[i]), cancellationToken);
            images.Add(file.Filename);
            Interlocked.Increment(ref totals.MediaFiles);
            Interlocked.Increment(ref totals.ImageAssets);
        }
        await accounts.UpdateAccountProfileAsync(account.Id, profile.DisplayName, images[0], profile.Description, cancellationToken);

        string? sample = null;
        if (profile.VoiceTags.Count > 0 && profile.HasApprovedVoiceOver)
        {
            // Stands in for the sample the voice provider would render, so demo search shows voice results without a key.
            sample = (await media.UploadAsync($"voice-sample-{profile.Slug}.wav", "audio/wav",
                DemoMediaFiles.VoiceRecording(profile.Person.VoicePitch, 0), cancellationToken)).Filename;
            Interlocked.Increment(ref totals.MediaFiles);
        }
        for (var i = 0; i < profile.VoiceTags.Count; i++)
        {
            var file = await media.UploadAsync($"{profile.Slug}-voice-{i + 1}.wav", "audio/wav",
                DemoMediaFiles.VoiceRecording(profile.Person.VoicePitch, i + 1), cancellationToken);
            await assets.CreateAssetAsync(new NewLikenessAsset(account.Id, AssetType.Voice, file.Filename, profile.VoiceTags[i], sample), cancellationToken);
            Interlocked.Increment(ref totals.MediaFiles);
            Interlocked.Increment(ref totals.VoiceAssets);
        }

        IpTerm? likenessTerm = null;
        foreach (var term in profile.Terms)
        {
            var created = await ipTerms.CreateIpTermAsync(account.Id, term.Type, term.Status, cancellationToken);
            likenessTerm ??= term is { Type: IpTermType.Likeness, Status: IpTermStatus.Approved } ? created : null;
            Interlocked.Increment(ref totals.IpTerms);
        }
        foreach (var link in profile.SocialLinks)
        {
            await socialLinks.UpsertSocialLinkAsync(new NewAccountSocialLink(account.Id, link.Platform, link.Url, link.FollowersCount), cancellationToken);
            Interlocked.Increment(ref totals.SocialLinks);
        }

        // Last, so the indexer never sees a half-made account: its approved likeness term is what made it indexable.
        var info = JsonSerializer.SerializeToElement(new { source = "demo-seed", seed, index = profile.Index });
        await queue.AddToQueueAsync(account.Id, QueueElementType.LikenessTerm, likenessTerm?.Id, info, cancellationToken);
        Interlocked.Increment(ref totals.QueueEvents);
        Interlocked.Increment(ref totals.AccountsCreated);
    }

    /// <summary>Counts shared by the parallel workers.</summary>
    private sealed class Totals
    {
        public int AccountsCreated, AccountsSkipped, ImageAssets, VoiceAssets, IpTerms, SocialLinks, MediaFiles, QueueEvents, Processed;

        public DemoDataSummary ToSummary(long existing) => new(
            false, existing, AccountsCreated, AccountsSkipped, ImageAssets, VoiceAssets, IpTerms, SocialLinks, MediaFiles, QueueEvents);
    }
}
