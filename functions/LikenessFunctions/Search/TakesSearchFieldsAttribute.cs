namespace LikenessFunctions.Search;

/// <summary>
/// Marks a function that reads its request with <see cref="SearchRequest"/>: the OpenAPI
/// document then lists the search's fields as its query parameters, or for POST as its body.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TakesSearchFieldsAttribute : Attribute
{
    /// <summary>The lookalike search, which takes no text, strict filters or facets.</summary>
    public bool Lookalike { get; init; }
}
