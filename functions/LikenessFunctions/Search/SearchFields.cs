using System.Text.Json;
using Likeness.Shared.Data;
using Likeness.Shared.Search;
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

/// <summary>A request field beside the attributes: its name, whether the lookalike search takes it too, and what it means.</summary>
public abstract record SearchField(string Name, bool SearchOnly, string Description);

/// <summary>Free text of at most <paramref name="MaxLength"/> characters.</summary>
public sealed record TextSearchField(string Name, bool SearchOnly, string Description, int MaxLength) : SearchField(Name, SearchOnly, Description);

/// <summary>A whole number from <paramref name="Min"/> to the options' maximum (none when null), with the options' default.</summary>
public sealed record WholeSearchField(string Name, bool SearchOnly, string Description, int Min, Func<SearchOptions, int?> Max, Func<SearchOptions, int> Default)
    : SearchField(Name, SearchOnly, Description);

/// <summary>One of <paramref name="Values"/> (any case), or with <paramref name="IsList"/> several of them.</summary>
public sealed record ChoiceSearchField(string Name, bool SearchOnly, string Description, IReadOnlyList<string> Values, bool IsList)
    : SearchField(Name, SearchOnly, Description);

/// <summary>
/// The one declaration of the request's fields beside the attributes of
/// <see cref="SearchAttributeCatalog"/>: <see cref="SearchRequest"/> reads them by these
/// declarations and the OpenAPI document describes them from the same ones.
/// </summary>
public static class SearchRequestFields
{
    /// <summary>Names every facet attribute at once.</summary>
    public const string AllFacets = "all";

    public static TextSearchField Text { get; } = new("q", SearchOnly: true,
        "Free text for the semantic search (and the brief parser, which reads filters out of it).", SearchQuery.MaxTextLength);

    public static ChoiceSearchField Strict { get; } = new("strict", SearchOnly: true,
        $"The attributes whose filters semantic matches must satisfy too; '{SearchOptions.NoStrictAttributes}' names none. "
            + "When left out, the app's Search:DefaultStrict setting applies.",
        [.. SearchAttributeCatalog.All.Select(a => a.Name), SearchOptions.NoStrictAttributes], IsList: true);

    public static ChoiceSearchField Facets { get; } = new("facets", SearchOnly: true,
        $"Enum and boolean attributes whose value counts over the exact matches the page should carry; '{AllFacets}' names every one.",
        [AllFacets, .. SearchAttributeCatalog.Discrete.Select(a => a.Name)], IsList: true);

    public static ChoiceSearchField AssetType { get; } = new("assetType", SearchOnly: false,
        "Every result carries its images (IMAGE) or voice samples (VOICE).", DbEnum<AssetType>.AllLabels, IsList: false);

    public static WholeSearchField Limit { get; } = new("limit", SearchOnly: false, "Page size.", 1, options => options.MaxLimit, options => options.DefaultLimit);

    public static WholeSearchField Offset { get; } = new("offset", SearchOnly: false,
        "Results to skip: the previous page's nextOffset.", 0, _ => null, _ => 0);

    public static IReadOnlyList<SearchField> All { get; } = [Text, Strict, Facets, AssetType, Limit, Offset];
}
