using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using NpgsqlTypes;

namespace Likeness.Shared.Data;

/// <summary>
/// Converts between a C# enum and its PostgreSQL enum labels (UPPER_SNAKE). Values travel
/// as text and are cast in SQL (<c>$1::likeness_search_gender</c>), so the data source needs
/// no type mapping and keeps working when a migration adds enum types after it connected.
/// </summary>
public static class DbEnum<T> where T : struct, Enum
{
    /// <summary>The PostgreSQL type name, e.g. <c>likeness_search_gender</c>.</summary>
    public static string TypeName { get; } = typeof(T).GetCustomAttribute<PgNameAttribute>()?.PgName
        ?? throw new InvalidOperationException($"{typeof(T).Name} has no [PgName] naming its database type.");

    private static readonly FrozenDictionary<T, string> Labels = Enum.GetValues<T>()
        .ToFrozenDictionary(value => value, LabelOf);

    private static readonly FrozenDictionary<string, T> Values = Labels
        .ToFrozenDictionary(pair => pair.Value, pair => pair.Key, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every label in declaration order, which is also the database's order.</summary>
    public static IReadOnlyList<string> AllLabels { get; } = Enum.GetValues<T>().Select(v => Labels[v]).ToArray();

    public static string ToLabel(T value, string paramName = "value") =>
        Labels.TryGetValue(value, out var label)
            ? label
            : throw new ArgumentOutOfRangeException(paramName, value, $"Not a defined {typeof(T).Name} value.");

    public static string? ToLabel(T? value, string paramName = "value") =>
        value is { } v ? ToLabel(v, paramName) : null;

    /// <summary>Case-insensitive: <c>blonde</c>, <c>BLONDE</c> and <c>Blonde</c> are the same value.</summary>
    public static bool TryParse(string? label, out T value) =>
        Values.TryGetValue(label?.Trim() ?? "", out value);

    public static T Parse(string label) =>
        TryParse(label, out var value)
            ? value
            : throw new FormatException($"'{label}' is not a {TypeName} value.");

    private static string LabelOf(T value)
    {
        var name = value.ToString();
        return typeof(T).GetField(name)!.GetCustomAttribute<PgNameAttribute>()?.PgName
            ?? JsonNamingPolicy.SnakeCaseUpper.ConvertName(name);
    }
}
