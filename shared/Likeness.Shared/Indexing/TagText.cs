using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Likeness.Shared.Data;

namespace Likeness.Shared.Indexing;

/// <summary>
/// The canonical text of an account's attributes, which is what gets embedded: one
/// <c>name: value</c> clause per known attribute in a fixed order, lower case, enum labels as
/// words, counts as coarse bands. Equal attributes always give equal text, so an unchanged
/// account is never embedded twice; a search query is normalized the same way.
/// </summary>
public static class TagText
{
    private static readonly PropertyInfo[] Properties = typeof(SearchAttributes).GetProperties(BindingFlags.Public | BindingFlags.Instance);

    public static string Normalize(SearchAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var text = new StringBuilder();
        foreach (var property in Properties)
        {
            if (property.GetValue(attributes) is not { } value)
            {
                continue;
            }
            if (text.Length > 0)
            {
                text.Append("; ");
            }
            text.Append(Words(JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name))).Append(": ").Append(Describe(property.Name, value));
        }
        return text.ToString();
    }

    private static string Describe(string property, object value) => value switch
    {
        Enum label => Words(label.ToString() is var name && LabelOf(label) is { } db ? db : name),
        bool flag => flag ? "yes" : "no",
        long followers when property == nameof(SearchAttributes.NumberOfFollowers) => FollowerBand(followers),
        int year when property == nameof(SearchAttributes.BirthYear) => $"{year / 10 * 10}s",
        double rate => rate.ToString("0.#", CultureInfo.InvariantCulture),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string FollowerBand(long followers) => followers switch
    {
        < 10_000 => "under 10k",
        < 100_000 => "10k to 100k",
        < 1_000_000 => "100k to 1m",
        < 10_000_000 => "1m to 10m",
        _ => "over 10m",
    };

    private static string? LabelOf(Enum value) =>
        typeof(DbEnum<>).MakeGenericType(value.GetType())
            .GetMethod(nameof(DbEnum<Gender>.ToLabel), [value.GetType(), typeof(string)])!
            .Invoke(null, [value, "value"]) as string;

    private static string Words(string label) => label.Replace('_', ' ').ToLowerInvariant();
}
