namespace Likeness.Shared.Data;

/// <summary>Facet counts as the API shows them, the same whether PostgreSQL or the read model counted.</summary>
public static class SearchFacets
{
    /// <summary>The attribute's counts by label, in the attribute's value order, zero counts left out.</summary>
    /// <param name="byOrdinal">The count of each value, indexed by ordinal.</param>
    public static IReadOnlyDictionary<string, long> Counts(DiscreteAttribute attribute, ReadOnlySpan<long> byOrdinal)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var ordinal = 0; ordinal < byOrdinal.Length; ordinal++)
        {
            if (byOrdinal[ordinal] > 0)
            {
                counts[attribute.Labels[ordinal]] = byOrdinal[ordinal];
            }
        }
        return counts;
    }
}
