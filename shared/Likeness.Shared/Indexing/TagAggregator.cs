using System.Reflection;
using Likeness.Shared.Data;

namespace Likeness.Shared.Indexing;

/// <summary>
/// Merges the tags of an account's assets and description into one set of attributes: for each
/// attribute the most frequent value wins; a tie goes to the smallest value (enum declaration
/// order, false before true, the lower number), so the result never depends on row order.
/// </summary>
public static class TagAggregator
{
    private static readonly PropertyInfo[] Properties = typeof(SearchAttributes).GetProperties(BindingFlags.Public | BindingFlags.Instance);

    public static SearchAttributes Aggregate(IEnumerable<SearchAttributes> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var all = sources.ToList();
        var result = new SearchAttributes();
        foreach (var property in Properties)
        {
            var winner = all
                .Select(source => property.GetValue(source))
                .OfType<object>()
                .GroupBy(value => value)
                .OrderByDescending(group => group.Count())
                .ThenBy(group => group.Key, Comparer<object>.Default)
                .Select(group => group.Key)
                .FirstOrDefault();
            if (winner is not null)
            {
                property.SetValue(result, winner);
            }
        }
        return result;
    }
}
