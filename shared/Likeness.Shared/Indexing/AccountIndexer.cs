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
    LikenessSearchVectorAccess vectors,
    AssetTagger tagger,
    ITagExtractor extractor,
    IEmbedder embedder,
    IndexCommitter committer) : IAccountIndexer
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
        var attributes = TagAggregator.Aggregate(sources);

        var links = await socialLinks.GetSocialLinksByAccountIdAsync(account.Id, cancellationToken);
        if (links.Count == 0)
        {
            return attributes;
        }
        // The platform with most followers; on a tie the earlier platform, as the links are listed in platform order.
        var primary = links.OrderByDescending(l => l.FollowersCount ?? -1).First();
        return attributes with
        {
            NumberOfFollowers = links.Sum(l => l.FollowersCount ?? 0),
            PrimaryPlatform = primary.Platform,
        };
    }
}
