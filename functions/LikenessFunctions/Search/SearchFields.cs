using System.Text.Json;
using LikenessFunctions.Http;

namespace LikenessFunctions.Search;

/// <summary>How a value arrived: query-string text may be any type; JSON says which it is.</summary>
public enum FieldValueKind { QueryText, String, Number, Boolean, Other }

/// <param name="Text">The text of a query value or JSON string, a JSON number as written, <c>true</c>/<c>false</c>.</param>
public readonly record struct FieldValue(FieldValueKind Kind, string Text);

/// <param name="IsArray">Given as a JSON array, which only list fields accept.</param>
public sealed record FieldInput(IReadOnlyList<FieldValue> Values, bool IsArray);

/// <summary>
/// A search request before validation: each field name with the values given for it. GET's
/// query string and POST's JSON body both become this shape, so <see cref="SearchRequest"/>
/// validates them with the same rules.
/// </summary>
public sealed class SearchFields
{
    /// <summary>The Functions host takes the function key from this query parameter and passes it on to the app.</summary>
    public const string FunctionKeyParameter = "code";

    private readonly Dictionary<string, FieldInput> fields = new(StringComparer.Ordinal);

    public IEnumerable<string> Names => fields.Keys;

    public FieldInput? this[string name] => fields.GetValueOrDefault(name);

    /// <summary>Repeated keys give several values (<c>hairColor=BLONDE&amp;hairColor=BROWN</c>).</summary>
    public static SearchFields FromQuery(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var result = new SearchFields();
        foreach (var (name, values) in query.Where(p => p.Key != FunctionKeyParameter))
        {
            result.fields[name] = new FieldInput([.. values.Select(v => new FieldValue(FieldValueKind.QueryText, v ?? ""))], IsArray: false);
        }
        return result;
    }

    /// <summary>A JSON null is the same as leaving the field out. <see cref="JsonBody"/> has already refused a field given twice.</summary>
    public static SearchFields FromJson(JsonElement root)
    {
        var result = new SearchFields();
        foreach (var property in root.EnumerateObject())
        {
            result.fields[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.Null => new FieldInput([], IsArray: false),
                JsonValueKind.Array => new FieldInput([.. property.Value.EnumerateArray().Select(Value)], IsArray: true),
                _ => new FieldInput([Value(property.Value)], IsArray: false),
            };
        }
        return result;
    }

    private static FieldValue Value(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => new(FieldValueKind.String, element.GetString()!),
        JsonValueKind.Number => new(FieldValueKind.Number, element.GetRawText()),
        JsonValueKind.True or JsonValueKind.False => new(FieldValueKind.Boolean, element.GetRawText()),
        _ => new(FieldValueKind.Other, element.GetRawText()),
    };
}
