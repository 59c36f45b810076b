namespace Likeness.Shared.Data;

public sealed record Account(
    string Id,
    string Slug,
    string? DisplayName,
    string? ImageUrl,
    string? Description,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

public sealed record NewAccount(string Slug, string? DisplayName, string? ImageUrl, string? Description);

/// <summary>What the indexer requires of an account before it may appear in search.</summary>
public sealed record BaseRequirements(bool HasDisplayName, bool HasImage, bool HasApprovedTerm)
{
    public bool Met => HasDisplayName && HasImage && HasApprovedTerm;

    /// <summary>Why the account is not indexable, or null when it is.</summary>
    public string? Reason => Met ? null : string.Join("; ", new[]
    {
        HasDisplayName ? null : "account has no display name",
        HasImage ? null : "account has no servable profile image",
        HasApprovedTerm ? null : "account has no approved IP term",
    }.OfType<string>());
}
