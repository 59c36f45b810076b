using System.Text.Json.Serialization;
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

    /// <summary>
    /// The attributes whose filters semantic matches must satisfy too; null means
    /// <see cref="SearchOptions.DefaultStrict"/>, empty means none.
    /// </summary>
    public IReadOnlyList<SearchAttribute>? Strict { get; init; }

    /// <summary>Page size; null means <see cref="SearchOptions.DefaultLimit"/>.</summary>
    public int? Limit { get; init; }

    public int Offset { get; init; }

    /// <summary>
    /// The enum and boolean attributes (API names) whose facet counts the page should carry;
    /// null means none. Counts are over the exact matches.
    /// </summary>
    public IReadOnlyList<string>? Facets { get; init; }
}

/// <summary>A page of results (see <see cref="LikenessSearchService"/> for the paging rule).</summary>
/// <param name="Total">How many accounts match the filters exactly: an exact count, never capped or estimated.</param>
/// <param name="SemanticTotal">How many semantic matches the whole list holds, once the last page is reached; null while more pages remain. Written even when null, as is <paramref name="NextOffset"/>, so a client need not tell a missing field from the end.</param>
/// <param name="HasMore">Whether a further page holds results.</param>
/// <param name="NextOffset">The offset of the next page; null on the last one.</param>
public sealed record SearchResultPage(
    IReadOnlyList<SearchResult> Results,
    long Total,
    int Limit,
    int Offset,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? SemanticTotal,
    bool HasMore,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? NextOffset)
{
    /// <summary>
    /// When facets were asked for: per attribute, how many accounts match every filter of the
    /// request except that attribute's own, by value (<c>{"hairColor": {"BLONDE": 120}}</c>);
    /// values with no account are left out. Otherwise null (left out of JSON).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>>? Facets { get; init; }

    /// <summary>
    /// How many partial matches the whole list holds (see <see cref="LikenessSearchService"/>), an
    /// exact count; null on a page that ends among the exact matches, where they were not counted.
    /// Written even when null.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public long? PartialTotal { get; init; }

    /// <summary>How the <c>q</c> text was read into filters and words left over; null (left out) when there was no text.</summary>
    public Briefs.InterpretedQuery? Interpreted { get; init; }
}

/// <summary>One account as the frontend shows it.</summary>
/// <param name="Match"><see cref="SearchMatch.Exact"/>, <see cref="SearchMatch.Partial"/> or <see cref="SearchMatch.Semantic"/>.</param>
/// <param name="Distance">Cosine distance to the query, for semantic matches only.</param>
/// <param name="Attributes">The account's known attributes (unknown ones are null and left out of JSON).</param>
/// <param name="Images">With asset type IMAGE: the account's images, oldest first; otherwise null.</param>
/// <param name="VoiceSamples">With asset type VOICE: the account's rendered voice samples when it has an approved VOICE_OVER term (else none); otherwise null.</param>
/// <param name="Matched">For partial and semantic matches: the filtered attributes (API names) the account satisfies; null for exact matches, which satisfy all.</param>
/// <param name="Unmatched">For partial and semantic matches: the filtered attributes it does not satisfy (or whose value is unknown).</param>
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
    IReadOnlyList<MediaLink>? VoiceSamples,
    IReadOnlyList<string>? Matched = null,
    IReadOnlyList<string>? Unmatched = null);

/// <param name="Url">Where the media proxy serves the file.</param>
public sealed record MediaLink(string AssetId, string Url);

/// <summary>The values of <see cref="SearchResult.Match"/>, as the API spells them.</summary>
public static class SearchMatch
{
    public const string Exact = "exact";

    /// <summary>Satisfies the strict filters and some, not all, of the other filters.</summary>
    public const string Partial = "partial";
    public const string Semantic = "semantic";
}
