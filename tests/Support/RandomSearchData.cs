using System.Collections;
using System.Reflection;
using Likeness.Shared.Data;

namespace Likeness.Testing;

/// <summary>
/// Random attributes and filters over small domains (an enum's first three values, numbers from a
/// narrow range), so that random filters mostly keep some accounts and drop others, and followers
/// tie often enough to exercise the account-id tie-break.
/// </summary>
public static class RandomSearchData
{
    public static readonly PropertyInfo[] FilterProperties = typeof(SearchFilters).GetProperties();

    /// <summary>Each attribute known with probability 0.8.</summary>
    public static SearchAttributes Attributes(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var attributes = new SearchAttributes();
        foreach (var property in typeof(SearchAttributes).GetProperties())
        {
            if (random.NextDouble() < 0.2)
            {
                continue;
            }
            var type = Nullable.GetUnderlyingType(property.PropertyType)!;
            property.SetValue(attributes, type.IsEnum ? FewEnumValues(type)[random.Next(3)] : Number(type, property.Name, random));
        }
        return attributes;
    }

    /// <summary>Each filter field given with probability <paramref name="fieldProbability"/>; ranges never empty.</summary>
    public static SearchFilters Filters(Random random, double fieldProbability)
    {
        ArgumentNullException.ThrowIfNull(random);
        var filters = new SearchFilters();
        foreach (var property in FilterProperties.Where(_ => random.NextDouble() < fieldProbability))
        {
            property.SetValue(filters, FilterValue(property, random));
        }
        // The access function refuses empty ranges; the validator never lets one through.
        foreach (var min in FilterProperties.Where(p => p.Name.StartsWith("Min", StringComparison.Ordinal)))
        {
            var max = typeof(SearchFilters).GetProperty("Max" + min.Name[3..])!;
            if (min.GetValue(filters) is IComparable low && max.GetValue(filters) is { } high && low.CompareTo(high) > 0)
            {
                min.SetValue(filters, high);
                max.SetValue(filters, low);
            }
        }
        return filters;
    }

    /// <summary>Lists of one or two of an enum's first three values; flags; numbers from the attributes' small domains.</summary>
    public static object FilterValue(PropertyInfo property, Random random)
    {
        ArgumentNullException.ThrowIfNull(property);
        ArgumentNullException.ThrowIfNull(random);
        var type = property.PropertyType;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            var enumType = type.GetGenericArguments()[0];
            var values = FewEnumValues(enumType).OrderBy(_ => random.Next()).Take(random.Next(1, 3)).ToArray();
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(enumType))!;
            foreach (var value in values)
            {
                list.Add(value);
            }
            return list;
        }
        var underlying = Nullable.GetUnderlyingType(type)!;
        // A minimum near the bottom and a maximum near the top of the domain keep most ranges non-empty.
        var number = Number(underlying, property.Name.Replace("Min", "", StringComparison.Ordinal).Replace("Max", "", StringComparison.Ordinal), random);
        return property.Name.StartsWith("Max", StringComparison.Ordinal) ? Shift(number, up: true)
            : property.Name.StartsWith("Min", StringComparison.Ordinal) ? Shift(number, up: false)
            : number;
    }

    /// <summary>Some of the enum and boolean attributes' names, or none (null).</summary>
    public static List<DiscreteAttribute> Facets(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return random.Next(3) switch
        {
            0 => [],
            1 => [.. SearchAttributeCatalog.Discrete],
            _ => [.. SearchAttributeCatalog.Discrete.Where(_ => random.NextDouble() < 0.2)],
        };
    }

    /// <summary>The fields given, for assertion messages.</summary>
    public static string Describe(SearchFilters filters) => string.Join("; ", FilterProperties
        .Select(p => (p.Name, Value: p.GetValue(filters)))
        .Where(p => p.Value is not null)
        .Select(p => $"{p.Name}={(p.Value is IEnumerable list and not string ? string.Join("|", list.Cast<object>()) : p.Value)}"));

    /// <summary>Lifelike domains, so that tests may filter with lifelike ranges (a height of 160 to 180 cm).</summary>
    private static readonly Dictionary<string, (int From, int To)> WholeDomains = new()
    {
        [nameof(SearchAttributes.BirthYear)] = (1975, 2005),
        [nameof(SearchAttributes.Height)] = (150, 200),
        [nameof(SearchAttributes.Weight)] = (50, 100),
    };

    private static object Number(Type type, string attribute, Random random) => type switch
    {
        _ when type == typeof(bool) => random.Next(2) == 0,
        _ when type == typeof(long) => (long)random.Next(0, 1000),
        _ when type == typeof(double) => Math.Round(random.NextDouble() * 10, 1),
        _ => random.Next(WholeDomains[attribute].From, WholeDomains[attribute].To),
    };

    private static object Shift(object number, bool up) => number switch
    {
        long value => up ? value + 200 : value - 200,
        double value => up ? value + 2 : value - 2,
        int value => up ? value + 10 : value - 10,
        _ => number,
    };

    private static object[] FewEnumValues(Type enumType) => [.. Enum.GetValues(enumType).Cast<object>().Take(3)];
}
