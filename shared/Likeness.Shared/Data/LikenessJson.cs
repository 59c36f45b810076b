using System.Text.Json;
using System.Text.Json.Serialization;

namespace Likeness.Shared.Data;

/// <summary>
/// JSON as stored in JSONB columns and spoken over HTTP: camelCase names, enums as their
/// database labels (<c>"BLONDE"</c>), nulls left out.
/// </summary>
public static class LikenessJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Converters.Add(new DbEnumJsonConverterFactory());
        return options;
    }

    private sealed class DbEnumJsonConverterFactory : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(DbEnumJsonConverter<>).MakeGenericType(typeToConvert))!;
    }

    private sealed class DbEnumJsonConverter<T> : JsonConverter<T> where T : struct, Enum
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && DbEnum<T>.TryParse(reader.GetString(), out var value)
                ? value
                : throw new JsonException($"Expected one of {string.Join(", ", DbEnum<T>.AllLabels)}.");

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(DbEnum<T>.ToLabel(value));
    }
}
