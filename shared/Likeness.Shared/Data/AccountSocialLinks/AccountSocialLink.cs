namespace Likeness.Shared.Data;

/// <param name="FollowersCount">Followers on this platform, as last scraped; null when unknown.</param>
public sealed record AccountSocialLink(
    string Id,
    string AccountId,
    Platform Platform,
    string Url,
    long? FollowersCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

public sealed record NewAccountSocialLink(string AccountId, Platform Platform, string Url, long? FollowersCount = null);
