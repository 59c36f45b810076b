using Likeness.Shared.Data;
using Likeness.Shared.Providers;

namespace Likeness.Shared.Indexing;

/// <summary>
/// The indexing pipeline for one account. Everything is recomputed from the account's current
/// data, so a run is idempotent and covers every event the account had waiting.
/// </summary>
public sealed class AccountIndexer(
    AccountsAccess accounts,
    LikenessAssetsAccess assets,
    AccountSocialLinksAccess socialLinks,
    ScrapesAccess scrapes,
    LikenessSearchVectorAccess vectors,
    AssetTagger tagger,
    ITagExtractor extractor,
    IEmbedder embedder,
    IndexCommitter committer,
    TimeProvider time) : IAccountIndexer
{
    public async Task<IndexOutcome> IndexAccountAsync(QueueEvent queueEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queueEvent);
        var update = await BuildUpdateAsync(queueEvent.AccountId, cancellationToken);
        var completed = await committer.CommitAsync(queueEvent, update, cancellationToken);
        return new IndexOutcome(completed, update.Result);
    }

    private async Task<IndexUpdate> BuildUpdateAsync(string accountId, CancellationToken cancellationToken)
    {
        var account = await accounts.GetAccountByIdAsync(accountId, cancellationToken);
        var requirements = await accounts.GetBaseRequirementsAsync(accountId, cancellationToken);
        if (account is null || requirements is not { Met: true })
        {
            return new IndexUpdate(null, null, null, "removed from search: " + (requirements?.Reason ?? "account does not exist"));
        }

        await tagger.TagAssetsAsync(account, cancellationToken);
        var attributes = await AggregateAsync(account, cancellationToken);
        var content = TagText.Normalize(attributes);
        if (content.Length == 0)
        {
            return new IndexUpdate(attributes, null, null, "indexed without tags: nothing to embed");
        }
        // A vector of another model reads as none, so a model change re-embeds unchanged text.
        var stored = await vectors.GetVectorByAccountIdAsync(accountId, cancellationToken);
        if (stored?.Content == content)
        {
            return new IndexUpdate(attributes, content, null, "indexed; tags unchanged, embedding kept");
        }
        var embedding = await embedder.EmbedAsync(content, cancellationToken);
        return new IndexUpdate(attributes, content, embedding, $"indexed; embedded with {embedder.Model}");
    }

    private async Task<SearchAttributes> AggregateAsync(Account account, CancellationToken cancellationToken)
    {
        var sources = (await assets.ListAssetsByAccountIdAsync(account.Id, cancellationToken))
            .Select(a => a.SearchTags)
            .OfType<SearchAttributes>()
            .ToList();
        if (extractor.IsConfigured && !string.IsNullOrWhiteSpace(account.Description))
        {
            sources.Add(await extractor.ExtractFromDescriptionAsync(account.Description, cancellationToken));
        }
        var tags = TagAggregator.Aggregate(sources);

        // What the description states outright beats what a model estimates from the images.
        var stated = PhysicalDescription.Parse(account.Description, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        var social = SocialData.Aggregate(
            await socialLinks.GetSocialLinksByAccountIdAsync(account.Id, cancellationToken),
            await scrapes.GetScrapesByAccountIdAsync(account.Id, cancellationToken));
        return tags with
        {
            Height = stated.Height ?? tags.Height,
            Weight = stated.Weight ?? tags.Weight,
            BirthYear = stated.BirthYear ?? tags.BirthYear,
            NumberOfFollowers = social.NumberOfFollowers ?? tags.NumberOfFollowers,
            PrimaryPlatform = social.PrimaryPlatform ?? tags.PrimaryPlatform,
            IsVerified = social.IsVerified ?? tags.IsVerified,
            EngagementRate = social.EngagementRate ?? tags.EngagementRate,
        };
    }
}
