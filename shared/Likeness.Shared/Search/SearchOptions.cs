using Likeness.Shared.Data;

namespace Likeness.Shared.Search;

/// <summary>Settings of <see cref="LikenessSearchService"/>, section <c>Search</c>.</summary>
public sealed class SearchOptions
{
    public const string SectionName = "Search";

    /// <summary>Page size when a request names none.</summary>
    public int DefaultLimit { get; set; } = 20;

    /// <summary>Largest page a request may ask for.</summary>
    public int MaxLimit { get; set; } = 100;

    /// <summary>
    /// Semantic matches farther than this cosine distance from the query are left out (inclusive
    /// bound). With the offline embedder a full account lies about 0.57 from a three-attribute
    /// query it fully matches and about 0.68 from one it does not match at all, so 0.6 admits
    /// accounts that share most of what was asked for; with text-embedding-3-small it keeps
    /// clearly related texts and drops unrelated ones.
    /// </summary>
    public double MaxDistance { get; set; } = 0.6;

    /// <summary>
    /// The attributes whose filters semantic matches must satisfy unless a request names its own,
    /// written as the request's <c>strict</c> field is: API names separated by commas, or
    /// <c>none</c>. A casting team that asks for women, or for actors, does not want men or
    /// musicians to fill the page, while a hair colour or a country may well be traded for a
    /// close look.
    /// </summary>
    public string DefaultStrict { get; set; } = "category,gender";

    /// <summary>
    /// Whether partial matches (the strict filters and some of the others) come between the exact
    /// and the semantic matches. On by default: when no account has every attribute a brief asks
    /// for, the ones with most of them are what it wants, and the offline embedder's neighbours
    /// within <see cref="MaxDistance"/> are often none. Off gives exact then semantic matches
    /// alone, the list as it was before partial matches (the brief benchmark's comparison).
    /// </summary>
    public bool PartialMatches { get; set; } = true;

    /// <summary>The value of the <c>strict</c> field (and of <see cref="DefaultStrict"/>) that names no attribute.</summary>
    public const string NoStrictAttributes = "none";

    /// <summary><see cref="DefaultStrict"/> as attributes.</summary>
    internal IReadOnlyList<SearchAttribute> DefaultStrictAttributes => [.. StrictNames(DefaultStrict).Select(SearchAttributeCatalog.Get)];

    /// <summary>The attribute names in a <c>strict</c> list; <see cref="NoStrictAttributes"/> gives none.</summary>
    public static IEnumerable<string> StrictNames(string list) =>
        list.Trim() == NoStrictAttributes ? [] : list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>pgvector's <c>hnsw.ef_search</c> for the semantic queries (see <see cref="VectorSearchOptions.EfSearch"/>).</summary>
    public int EfSearch { get; set; } = VectorSearchOptions.DefaultEfSearch;

    /// <summary>
    /// Prepended to media filenames to make their URLs: the app's media proxy by default,
    /// a CDN in front of it when there is one.
    /// </summary>
    public string MediaUrlPrefix { get; set; } = "/api/media/";

    /// <summary>
    /// The longest a search or lookalike search may take, waiting for a pooled connection
    /// included; past it the search fails with <see cref="TimeoutException"/> (the API answers 503)
    /// rather than hold a connection while the database is locked or overloaded.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <returns>Why the options are unusable, or null when they are fine.</returns>
    internal string? Problem() =>
        MaxLimit is < 1 or > VectorSearchOptions.MaxTopK ? $"{SectionName}:{nameof(MaxLimit)} must be 1 to {VectorSearchOptions.MaxTopK}."
        : DefaultLimit < 1 || DefaultLimit > MaxLimit ? $"{SectionName}:{nameof(DefaultLimit)} must be 1 to {nameof(MaxLimit)}."
        : double.IsNaN(MaxDistance) || MaxDistance is < 0 or > 2 ? $"{SectionName}:{nameof(MaxDistance)} is a cosine distance, 0 to 2."
        : EfSearch is < 1 or > VectorSearchOptions.MaxEfSearch ? $"{SectionName}:{nameof(EfSearch)} must be 1 to {VectorSearchOptions.MaxEfSearch}."
        : Timeout <= TimeSpan.Zero ? $"{SectionName}:{nameof(Timeout)} must be positive."
        : StrictNames(DefaultStrict).FirstOrDefault(name => SearchAttributeCatalog.Find(name) is null) is { } unknown
            ? $"{SectionName}:{nameof(DefaultStrict)} names '{unknown}', which is not a searchable attribute."
        : string.IsNullOrWhiteSpace(MediaUrlPrefix) ? $"{SectionName}:{nameof(MediaUrlPrefix)} must not be empty."
        : null;
}
