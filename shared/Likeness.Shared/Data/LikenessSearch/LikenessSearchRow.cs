namespace Likeness.Shared.Data;

/// <summary>An account's row in <c>likeness_search</c>, the exact-filter index.</summary>
public sealed record LikenessSearchRow(
    string Id,
    string AccountId,
    SearchAttributes Attributes,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>One page of exact matches and how many rows match in all.</summary>
public sealed record LikenessSearchPage(IReadOnlyList<LikenessSearchRow> Rows, long Total);
