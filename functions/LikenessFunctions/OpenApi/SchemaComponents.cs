using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Likeness.Shared.Data;
using Microsoft.AspNetCore.Mvc;

namespace LikenessFunctions.OpenApi;

/// <summary>
/// The document's <c>components/schemas</c>: one schema per object type the API writes or reads,
/// exported from the API's JSON options and corrected to say what the JSON holds, which the
/// exporter (written for deserialization) does not: numbers are numbers, enums are their database
/// labels, and in what the API writes a property is required exactly when it is always written and
/// nullable only when it is written as null (the API leaves other nulls out). Request bodies keep
/// null as "left out", and require what cannot be null.
/// </summary>
internal sealed class SchemaComponents
{
    private const string Prefix = "#/components/schemas/";

    /// <summary>
    /// Properties the results always fill although their type allows null: <c>ProblemDetailsDefaults</c>
    /// sets type and title, and every problem the API answers names its status.
    /// </summary>
    private static readonly Dictionary<Type, string[]> AlwaysSet = new()
    {
        [typeof(ProblemDetails)] = ["type", "title", "status"],
        [typeof(HttpValidationProblemDetails)] = ["type", "title", "status"],
    };

    private readonly JsonSerializerOptions writing;
    private readonly JsonSchemaExporterOptions writtenExporter;
    private readonly JsonSchemaExporterOptions readExporter;
    private readonly SortedDictionary<string, JsonNode> schemas = new(StringComparer.Ordinal);

    public SchemaComponents(JsonSerializerOptions json)
    {
        // The API's options read numbers from strings too; what it writes are plain JSON numbers.
        writing = new JsonSerializerOptions(json) { NumberHandling = JsonNumberHandling.Strict };
        writing.MakeReadOnly(populateMissingResolver: true);
        writtenExporter = new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true, TransformSchemaNode = (c, s) => Transform(c, s, read: false) };
        readExporter = new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true, TransformSchemaNode = (c, s) => Transform(c, s, read: true) };
    }

    public JsonObject ToJson() => new([.. schemas.Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)pair.Value.DeepClone()))]);

    /// <summary>A schema of its own, not derived from a type (the search request, made from the attribute catalogue).</summary>
    public JsonObject Add(string name, JsonObject schema)
    {
        schemas[name] = schema;
        return new JsonObject { ["$ref"] = Prefix + name };
    }

    /// <summary>A <c>$ref</c> to the type's component for object types, the schema itself for anything else.</summary>
    /// <param name="read">The type is a request body, which the API reads, rather than something it writes.</param>
    public JsonNode SchemaOf(Type type, bool read = false)
    {
        if (!IsComponent(writing.GetTypeInfo(type)))
        {
            return Export(type, read);
        }
        if (!schemas.ContainsKey(type.Name))
        {
            // Claimed before exporting, so that a type reached again while exporting itself is only referenced.
            schemas[type.Name] = new JsonObject();
            schemas[type.Name] = Export(type, read);
        }
        return new JsonObject { ["$ref"] = Prefix + type.Name };
    }

    private JsonNode Export(Type type, bool read) => JsonSchemaExporter.GetJsonSchemaAsNode(writing, type, read ? readExporter : writtenExporter);

    private static bool IsComponent(JsonTypeInfo info) => info.Kind == JsonTypeInfoKind.Object && info.Type != typeof(JsonObject);

    private JsonNode Transform(JsonSchemaExporterContext context, JsonNode schema, bool read)
    {
        var type = context.TypeInfo.Type;
        if ((Nullable.GetUnderlyingType(type) ?? type) is { IsEnum: true } enumType)
        {
            return Labels(enumType, nullable: Nullable.GetUnderlyingType(type) is not null);
        }
        if (schema is not JsonObject node)
        {
            // "true", JSON Schema's "any value" (a JsonElement), which OpenAPI readers want as an empty schema.
            return new JsonObject();
        }
        node.Remove("default");
        if (!context.Path.IsEmpty && IsComponent(context.TypeInfo))
        {
            var reference = SchemaOf(type, read);
            return CanBeNull(context.PropertyInfo) || AllowsNull(node)
                ? new JsonObject { ["anyOf"] = new JsonArray(reference, new JsonObject { ["type"] = "null" }) }
                : reference;
        }
        if (context.Path.IsEmpty && node["type"] is JsonArray types)
        {
            // A response body is never the JSON null.
            node["type"] = types.Select(t => (string)t!).Single(t => t != "null");
        }
        if (context.TypeInfo.Kind == JsonTypeInfoKind.Object && node["properties"] is JsonObject properties)
        {
            var required = (read
                    ? context.TypeInfo.Properties.Where(p => !CanBeNull(p)).Select(p => p.Name)
                    : context.TypeInfo.Properties.Where(AlwaysWritten).Select(p => p.Name).Concat(AlwaysSet.GetValueOrDefault(type) ?? []))
                .Where(properties.ContainsKey)
                .ToHashSet(StringComparer.Ordinal);
            if (!read)
            {
                foreach (var property in context.TypeInfo.Properties.Where(p => properties.ContainsKey(p.Name) && !WrittenAsNull(p)))
                {
                    var value = properties[property.Name]!;
                    if (WithoutNull(value) is var stripped && !ReferenceEquals(stripped, value))
                    {
                        properties[property.Name] = stripped;
                    }
                }
            }
            node.Remove("required");
            if (required.Count > 0)
            {
                node["required"] = new JsonArray([.. properties.Select(p => p.Key).Where(required.Contains).Select(name => (JsonNode)name)]);
            }
        }
        return node;
    }

    /// <summary>Written whatever its value: it cannot be null, or it is written even when null.</summary>
    private bool AlwaysWritten(JsonPropertyInfo property) => property.Get is not null && (!CanBeNull(property) || WrittenAsNull(property));

    /// <summary>Written as null when null, rather than left out.</summary>
    private bool WrittenAsNull(JsonPropertyInfo property) =>
        CanBeNull(property) && (property.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), inherit: true)
            .OfType<JsonIgnoreAttribute>().FirstOrDefault()?.Condition ?? writing.DefaultIgnoreCondition) == JsonIgnoreCondition.Never;

    private static bool CanBeNull(JsonPropertyInfo? property) =>
        property is not null && (Nullable.GetUnderlyingType(property.PropertyType) is not null
            || (!property.PropertyType.IsValueType && property.IsGetNullable));

    /// <summary>The schema without its null: for a property left out rather than written as null.</summary>
    private static JsonNode WithoutNull(JsonNode schema)
    {
        if (schema is not JsonObject node)
        {
            return schema;
        }
        if (node["anyOf"] is JsonArray choices && choices.Where(c => c?["type"]?.GetValue<string>() != "null").ToList() is [var only])
        {
            return only!.DeepClone();
        }
        if (node["type"] is JsonArray types)
        {
            var kept = types.Select(t => (string)t!).Where(t => t != "null").ToList();
            node["type"] = kept is [var single] ? single : new JsonArray([.. kept.Select(t => (JsonNode)t)]);
        }
        if (node["enum"] is JsonArray values)
        {
            node["enum"] = new JsonArray([.. values.Where(v => v is not null).Select(v => v!.DeepClone())]);
        }
        return node;
    }

    private static bool AllowsNull(JsonObject schema) =>
        schema["type"] is JsonArray types && types.Any(t => (string?)t == "null");

    /// <summary>Enums are written as their database labels, which the exporter cannot see through the API's converter.</summary>
    private static JsonObject Labels(Type enumType, bool nullable)
    {
        var labels = (IEnumerable<string>)typeof(DbEnum<>).MakeGenericType(enumType)
            .GetProperty(nameof(DbEnum<QueueStatus>.AllLabels), BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        var values = new JsonArray([.. labels.Select(label => (JsonNode)label)]);
        if (nullable)
        {
            values.Add(null);
        }
        return new JsonObject { ["type"] = nullable ? new JsonArray("string", "null") : "string", ["enum"] = values };
    }
}
