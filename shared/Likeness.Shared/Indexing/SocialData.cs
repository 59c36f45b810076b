using System.Text.Json;
using Likeness.Shared.Data;

namespace Likeness.Shared.Indexing;

/// <summary>
/// An account's social attributes from its linked profiles and what the scraper found for them
/// (<c>scrapes</c>, matched to a link by the linkhash of its URL): per link, a scrape newer than the
/// link's own follower count wins; the account is verified when any profile is; its engagement
/// rate (percent) is the follower-weighted mean over the profiles that report one.
/// </summary>
public static class SocialData
{
    /// <summary>
    /// Follower totals and primary platform (most followers; on a tie the earlier platform, as the
    /// links come in platform order), verification and engagement rate; null where no link tells.
    /// </summary>
    public static SearchAttributes Aggregate(IReadOnlyList<AccountSocialLink> links, IReadOnlyList<Scrape> scrapes)
    {
        ArgumentNullException.ThrowIfNull(links);
        ArgumentNullException.ThrowIfNull(scrapes);
        if (links.Count == 0)
        {
            return new SearchAttributes();
        }
        var scrapeByLinkhash = scrapes.ToDictionary(s => s.Linkhash);
        var profiles = links
            .Select(link => (Link: link, Scrape: scrapeByLinkhash.GetValueOrDefault(ScrapesAccess.ComputeLinkhash(link.Url))))
            .Select(p => (p.Link.Platform, Followers: Followers(p.Link, p.Scrape), Raw: p.Scrape?.RawData))
            .ToList();

        var verified = profiles.Select(p => Flag(p.Raw, "isVerified")).OfType<bool>().ToList();
        var rates = profiles
            .Select(p => (Rate: Number(p.Raw, "engagementRate"), Weight: (double)(p.Followers ?? 0)))
            .Where(r => r.Rate is not null)
            .ToList();
        var weight = rates.Sum(r => r.Weight);
        return new SearchAttributes
        {
            NumberOfFollowers = profiles.Sum(p => p.Followers ?? 0),
            PrimaryPlatform = profiles.OrderByDescending(p => p.Followers ?? -1).First().Platform,
            IsVerified = verified.Count == 0 ? null : verified.Contains(true),
            // Without follower counts to weigh by, every profile that reports a rate counts the same.
            EngagementRate = rates.Count == 0 ? null
                : weight > 0 ? rates.Sum(r => r.Rate!.Value * r.Weight) / weight
                : rates.Average(r => r.Rate!.Value),
        };
    }

    private static long? Followers(AccountSocialLink link, Scrape? scrape) =>
        scrape is { Followers: { } scraped } && scrape.UpdatedAt > link.UpdatedAt ? scraped : link.FollowersCount;

    private static bool? Flag(JsonElement? raw, string name) =>
        Property(raw, name) is { ValueKind: JsonValueKind.True or JsonValueKind.False } value ? value.GetBoolean() : null;

    private static double? Number(JsonElement? raw, string name) =>
        Property(raw, name) is { ValueKind: JsonValueKind.Number } value && value.GetDouble() is var number && number >= 0 ? number : null;

    private static JsonElement? Property(JsonElement? raw, string name) =>
        raw is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty(name, out var value) ? value : null;
}
