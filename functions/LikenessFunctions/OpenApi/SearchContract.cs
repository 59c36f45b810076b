using System.Text.Json.Nodes;
using Likeness.Shared.Data;
using Likeness.Shared.Search;
using LikenessFunctions.Search;

namespace LikenessFunctions.OpenApi;

/// <summary>
/// The search's fields as OpenAPI parameters (GET) and as a JSON body schema (POST), made from
/// <see cref="SearchAttributeCatalog"/> and <see cref="SearchRequestFields"/>, which the request
/// parser reads too: the document cannot list a field the parser does not take, or miss one.
/// </summary>
internal static class SearchContract
{
    /// <summary>One field as both forms describe it: the schema of one value, and whether several may be given.</summary>
    private sealed record Field(string Name, string Description, JsonObject Value, bool IsList);

    public static JsonArray QueryParameters(bool lookalike, SearchOptions options) =>
        new([.. Fields(lookalike, options).Select(field => (JsonNode)Parameter(field))]);

    /// <summary>The POST body: the same fields, lists as JSON arrays (or one string), null meaning left out; nothing else.</summary>
    public static JsonObject Body(SearchOptions options)
    {
        var properties = new JsonObject();
        foreach (var field in Fields(lookalike: false, options))
        {
            JsonArray forms = field.IsList
                ? [field.Value.DeepClone(), new JsonObject { ["type"] = "array", ["items"] = field.Value.DeepClone(), ["minItems"] = 1 }]
                : [field.Value.DeepClone()];
            forms.Add(new JsonObject { ["type"] = "null" });
            properties[field.Name] = new JsonObject { ["description"] = field.Description, ["anyOf"] = forms };
        }
        return new JsonObject
        {
            ["type"] = "object",
            ["description"] = "The search's fields, as GET takes them in the query string; an unknown field is refused (400).",
            ["properties"] = properties,
            ["additionalProperties"] = false,
        };
    }

    private static JsonObject Parameter(Field field)
    {
        var parameter = new JsonObject { ["name"] = field.Name, ["in"] = "query", ["description"] = field.Description };
        if (field.IsList)
        {
            parameter["style"] = "form";
            parameter["explode"] = true;
            parameter["schema"] = new JsonObject { ["type"] = "array", ["items"] = field.Value.DeepClone() };
        }
        else
        {
            parameter["schema"] = field.Value.DeepClone();
        }
        return parameter;
    }

    /// <summary>Every attribute's filter (a range as its two ends), then the other fields; the lookalike search takes no text, strict filters or facets.</summary>
    private static IEnumerable<Field> Fields(bool lookalike, SearchOptions options) =>
        SearchAttributeCatalog.All.SelectMany(Filters)
            .Concat(SearchRequestFields.All.Where(f => !(lookalike && f.SearchOnly)).Select(f => Other(f, options)));

    private const string ListRule = "Any of these values (any case): repeat the parameter, separate values by commas, or both; in a JSON body, an array.";

    private static IEnumerable<Field> Filters(SearchAttribute attribute) => attribute switch
    {
        FlagAttribute flag => [new(flag.Name, $"Only accounts with this value of {flag.Name}.", new JsonObject { ["type"] = "boolean" }, IsList: false)],
        DiscreteAttribute discrete => [new(discrete.Name, $"Accounts whose {discrete.Words} is any of these. {ListRule}", Choice(discrete.Labels), IsList: true)],
        RangeAttribute range =>
        [
            new(range.MinName, $"Lowest {range.Words} to match, inclusive; unit: {range.Unit}.", Bound(range), IsList: false),
            new(range.MaxName, $"Highest {range.Words} to match, inclusive; unit: {range.Unit}.", Bound(range), IsList: false),
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(attribute), attribute.Name, "An attribute of unknown kind."),
    };

    private static Field Other(SearchField field, SearchOptions options) => field switch
    {
        TextSearchField text => new(text.Name, text.Description, new JsonObject { ["type"] = "string", ["maxLength"] = text.MaxLength }, IsList: false),
        ChoiceSearchField choice => new(choice.Name, choice.IsList ? $"{choice.Description} {ListRule}" : $"{choice.Description} Any case.",
            Choice(choice.Values), choice.IsList),
        WholeSearchField whole => new(whole.Name, whole.Description, Whole(whole, options), IsList: false),
        _ => throw new ArgumentOutOfRangeException(nameof(field), field.Name, "A field of unknown kind."),
    };

    private static JsonObject Choice(IEnumerable<string> values) =>
        new() { ["type"] = "string", ["enum"] = new JsonArray([.. values.Select(v => (JsonNode)v)]) };

    private static JsonObject Bound(RangeAttribute range) =>
        new() { ["type"] = range.IsWhole ? "integer" : "number", ["minimum"] = 0 };

    private static JsonObject Whole(WholeSearchField field, SearchOptions options)
    {
        var schema = new JsonObject { ["type"] = "integer", ["minimum"] = field.Min };
        if (field.Max(options) is { } max)
        {
            schema["maximum"] = max;
        }
        schema["default"] = field.Default(options);
        return schema;
    }
}
