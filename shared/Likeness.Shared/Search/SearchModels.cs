using Likeness.Shared.Data;

namespace Likeness.Shared.Search;

/// <summary>What to search for; validated by the caller, checked again by the service.</summary>
public sealed record SearchQuery
{
    public const int MaxTextLength = 1000;

    /// <summary>Exact filters (see <see cref="SearchFilters"/>).</summary>
    public SearchFilters Filters { get; init; } = new();

    /// <summary>Free text for the semantic part; null or blank means none.</summary>
    public string? Text { get; init; }

    /// <summary>When given, every result carries its images or voice samples.</summary>
    public AssetType? AssetType { get; init; }

    /// <summary>Page size; null means <see cref="SearchOptions.DefaultLimit"/>.</summary>
    public int? Limit { get; init; }

    public int Offset { get; init; }
}

/// <summary>A page of results.</summary>
/// <param name="Total">How many accounts match the filters exactly (see <see cref="LikenessSearchService"/>).</param>
public sealed record SearchResultPage(IReadOnlyList<SearchResult> Results, long Total, int Limit, int Offset)
{
    /// <summary>How the <c>q</c> text was read into filters and words left over; null (left out) when there was no text.</summary>
    public Briefs.InterpretedQuery? Interpreted { get; init; }
}

/// <summary>One account as the frontend shows it.</summary>
/// <param name="Match"><see cref="SearchMatch.Exact"/> or <see cref="SearchMatch.Semantic"/>.</param>
/// <param name="Distance">Cosine distance to the query, for semantic matches only.</param>
/// <param name="Attributes">The account's known attributes (unknown ones are null and left out of JSON).</param>
/// <param name="Images">With asset type IMAGE: the account's images, oldest first; otherwise null.</param>
/// <param name="VoiceSamples">With asset type VOICE: the account's rendered voice samples when it has an approved VOICE_OVER term (else none); otherwise null.</param>
public sealed record SearchResult(
    string AccountId,
    string Slug,
    string? DisplayName,
    string? ImageUrl,
    string Match,
    double? Distance,
    long? NumberOfFollowers,
    Platform? PrimaryPlatform,
    bool? IsVerified,
    SearchAttributes Attributes,
    IReadOnlyList<MediaLink>? Images,
    IReadOnlyList<MediaLink>? VoiceSamples);

/// <param name="Url">Where the media proxy serves the file.</param>
public sealed record MediaLink(string AssetId, string Url);

/// <summary>The values of <see cref="SearchResult.Match"/>, as the API spells them.</summary>
public static class SearchMatch
{
    public const string Exact = "exact";
    public const string Semantic = "semantic";
}
