using System.Text.Json;

namespace Likeness.Shared.Data;

/// <param name="Linkhash">SHA-256 of <see cref="Link"/> (see <see cref="ScrapesAccess.ComputeLinkhash"/>), one row per account and link.</param>
/// <param name="Error">Why the last scrape failed; null after a success.</param>
/// <param name="RawData">The scraper's response as it came.</param>
/// <param name="AttemptCount">Failed scrape attempts so far.</param>
public sealed record Scrape(
    string Id,
    string AccountId,
    string Linkhash,
    string Link,
    string? Name,
    string? Avatar,
    long? Followers,
    string? Error,
    JsonElement? RawData,
    int AttemptCount,
    DateTimeOffset? LastAttemptAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>A scrape result; its linkhash is computed from <see cref="Link"/>.</summary>
public sealed record NewScrape(
    string AccountId,
    string Link,
    string? Name = null,
    string? Avatar = null,
    long? Followers = null,
    string? Error = null,
    JsonElement? RawData = null);
