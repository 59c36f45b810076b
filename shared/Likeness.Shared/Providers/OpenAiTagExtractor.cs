using System.ClientModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.AI.OpenAI;
using Likeness.Shared.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenAI.Chat;

namespace Likeness.Shared.Providers;

/// <summary>
/// Extracts tags with chat completions. The model is held to our enum labels by a strict JSON
/// schema; the answer is still read field by field, so one odd value costs that field only.
/// </summary>
public sealed class OpenAiTagExtractor : ITagExtractor
{
    private const string Provider = "Azure OpenAI chat";

    private const string Instructions =
        "You tag talent (models, actors, creators, voice artists) for a casting search. " +
        "Answer with a single JSON object holding exactly the requested properties. " +
        "Use only the listed values, and null whenever you cannot tell with reasonable confidence.";

    private static readonly TagSchema ImageSchema = new("likeness_image_tags",
    [
        EnumTag<Gender>("gender", (t, v) => t with { Gender = v }),
        EnumTag<BodyType>("bodyType", (t, v) => t with { BodyType = v }),
        EnumTag<HairColor>("hairColor", (t, v) => t with { HairColor = v }),
        EnumTag<HairLength>("hairLength", (t, v) => t with { HairLength = v }),
        EnumTag<HairType>("hairType", (t, v) => t with { HairType = v }),
        EnumTag<EyeColor>("eyeColor", (t, v) => t with { EyeColor = v }),
        EnumTag<SkinColor>("skinColor", (t, v) => t with { SkinColor = v }),
        EnumTag<Ethnicity>("ethnicity", (t, v) => t with { Ethnicity = v }),
        EnumTag<FaceShape>("faceShape", (t, v) => t with { FaceShape = v }),
        EnumTag<FacialHair>("facialHair", (t, v) => t with { FacialHair = v }),
        BooleanTag("wearGlasses", (t, v) => t with { WearGlasses = v }),
        BooleanTag("hasTattoos", (t, v) => t with { HasTattoos = v }),
        BooleanTag("hasPiercings", (t, v) => t with { HasPiercings = v }),
        BirthYearTag(),
    ]);

    private static readonly TagSchema VoiceSchema = new("likeness_voice_tags",
    [
        EnumTag<VoicePitch>("voicePitch", (t, v) => t with { VoicePitch = v }),
        EnumTag<VoiceTone>("voiceTone", (t, v) => t with { VoiceTone = v }),
        EnumTag<Accent>("accent", (t, v) => t with { Accent = v }),
        EnumTag<Language>("primaryLanguage", (t, v) => t with { PrimaryLanguage = v }),
        EnumTag<Gender>("gender", (t, v) => t with { Gender = v }),
    ]);

    private static readonly TagSchema DescriptionSchema = new("likeness_profile_tags",
    [
        EnumTag<Category>("category", (t, v) => t with { Category = v }),
        EnumTag<ContentNiche>("contentNiche", (t, v) => t with { ContentNiche = v }),
        EnumTag<TargetAudience>("targetAudience", (t, v) => t with { TargetAudience = v }),
        EnumTag<Country>("country", (t, v) => t with { Country = v }),
        EnumTag<Language>("primaryLanguage", (t, v) => t with { PrimaryLanguage = v }),
        WholeNumberTag("height", 100, () => 250, (t, v) => t with { Height = v }),
        WholeNumberTag("weight", 30, () => 250, (t, v) => t with { Weight = v }),
        BirthYearTag(),
    ]);

    private readonly ChatClient visionClient;
    private readonly ChatClient audioClient;
    private readonly TimeSpan timeout;
    private readonly ILogger<OpenAiTagExtractor> logger;

    public OpenAiTagExtractor(AzureOpenAIClient client, IOptions<AiOptions> options, ILogger<OpenAiTagExtractor> logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        visionClient = client.GetChatClient(options.Value.VisionModel);
        audioClient = client.GetChatClient(options.Value.AudioModel);
        timeout = TimeSpan.FromSeconds(options.Value.TimeoutSeconds);
        this.logger = logger;
    }

    public bool IsConfigured => true;

    public Task<SearchAttributes> ExtractFromImageAsync(BinaryData image, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        var message = new UserChatMessage(
            ChatMessageContentPart.CreateTextPart(
                "Tag the person in this photo. birthYear is your estimate of the year they were born."),
            ChatMessageContentPart.CreateImagePart(image, contentType));
        return ExtractAsync(ImageSchema, token => CompleteAsync(visionClient, ImageSchema, message, token), cancellationToken);
    }

    public Task<SearchAttributes> ExtractFromVoiceAsync(BinaryData audio, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audio);
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        var format = AudioChatCompletion.Format(contentType);
        // Audio models reject response_format json_schema (400 "not supported with this model"),
        // so the schema travels in the prompt and the lenient parsing does the rest.
        var prompt = "Tag the speaker in this recording. Answer with JSON only, no prose, matching this JSON schema: " + VoiceSchema.Json;
        return ExtractAsync(
            VoiceSchema, token => AudioChatCompletion.CompleteAsync(audioClient, Instructions, prompt, audio, format, token), cancellationToken);
    }

    public Task<SearchAttributes> ExtractFromDescriptionAsync(string description, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        var message = new UserChatMessage(
            "Tag the talent from their own profile description. country is where they are based. "
            + "height (centimetres), weight (kilograms) and birthYear only as the text states them, converted from other units "
            + "or worked out from a stated age; otherwise null.\n\n" + description);
        return ExtractAsync(DescriptionSchema, token => CompleteAsync(visionClient, DescriptionSchema, message, token), cancellationToken);
    }

    /// <summary>A completion held to <paramref name="schema"/> by structured outputs.</summary>
    private static async Task<ChatCompletion> CompleteAsync(ChatClient client, TagSchema schema, UserChatMessage message, CancellationToken cancellationToken)
    {
        var options = new ChatCompletionOptions
        {
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat(schema.Name, BinaryData.FromString(schema.Json), jsonSchemaIsStrict: true),
        };
        return (await client.CompleteChatAsync([new SystemChatMessage(Instructions), message], options, cancellationToken)).Value;
    }

    /// <summary>Runs <paramref name="complete"/>, turning its failures into <see cref="ProviderException"/>s, and reads the tags out of its answer.</summary>
    private async Task<SearchAttributes> ExtractAsync(
        TagSchema schema, Func<CancellationToken, Task<ChatCompletion>> complete, CancellationToken cancellationToken)
    {
        ChatCompletion completion;
        try
        {
            completion = await complete(cancellationToken);
        }
        catch (ClientResultException error)
        {
            throw ProviderException.FromClientResult(Provider, error);
        }
        catch (JsonException error)
        {
            // A 200 that is not a completion: a proxy's page, or an endpoint that is not Azure OpenAI.
            throw ProviderException.Malformed(Provider, "the answer is not a completion", error);
        }
        catch (OperationCanceledException error) when (!cancellationToken.IsCancellationRequested)
        {
            throw ProviderException.TimedOut(Provider, timeout, error);
        }

        if (!string.IsNullOrEmpty(completion.Refusal))
        {
            throw ProviderException.Malformed(Provider, $"the model refused: {completion.Refusal}");
        }
        var text = string.Concat(completion.Content.Where(part => part.Kind == ChatMessageContentPartKind.Text).Select(part => part.Text));
        var attributes = ParseAnswer(text, schema.Tags, (name, value) =>
            logger.LogInformation("Dropped {Tag} value {Value} from {Schema}: not one of the allowed values", name, value, schema.Name));
        logger.LogDebug("Extracted {Schema} with {Model}: {Tags}", schema.Name, completion.Model, attributes);
        return attributes;
    }

    /// <summary>Reads an answer; unknown properties and values outside the schema are dropped.</summary>
    private static SearchAttributes ParseAnswer(string answer, IReadOnlyList<Tag> tags, Action<string, string> dropped)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(JsonPart(answer));
        }
        catch (JsonException error)
        {
            throw ProviderException.Malformed(Provider, "the answer is not JSON", error);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw ProviderException.Malformed(Provider, $"the answer is a JSON {document.RootElement.ValueKind}, not an object");
            }
            var properties = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                properties[property.Name] = property.Value;
            }
            var attributes = new SearchAttributes();
            foreach (var tag in tags)
            {
                if (!properties.TryGetValue(tag.Name, out var value) || value.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }
                if (tag.Apply(attributes, value) is { } updated)
                {
                    attributes = updated;
                }
                else
                {
                    dropped(tag.Name, value.GetRawText());
                }
            }
            return attributes;
        }
    }

    /// <summary>Models without a schema like to wrap JSON in a Markdown fence.</summary>
    private static string JsonPart(string answer)
    {
        var start = answer.IndexOf('{', StringComparison.Ordinal);
        var end = answer.LastIndexOf('}');
        return start >= 0 && end > start ? answer[start..(end + 1)] : answer;
    }

    private static Tag EnumTag<T>(string name, Func<SearchAttributes, T, SearchAttributes> set) where T : struct, Enum
    {
        var values = new JsonArray();
        foreach (var label in DbEnum<T>.AllLabels)
        {
            values.Add(label);
        }
        values.Add(null);
        return new Tag(name, new JsonObject { ["type"] = new JsonArray("string", "null"), ["enum"] = values },
            (tags, json) => json.ValueKind == JsonValueKind.String && DbEnum<T>.TryParse(json.GetString(), out var value) ? set(tags, value) : null);
    }

    private static Tag BooleanTag(string name, Func<SearchAttributes, bool, SearchAttributes> set) =>
        new(name, new JsonObject { ["type"] = new JsonArray("boolean", "null") },
            (tags, json) => json.ValueKind is JsonValueKind.True or JsonValueKind.False ? set(tags, json.GetBoolean()) : null);

    /// <param name="max">Read when an answer is checked, so a bound like the current year stays current.</param>
    private static Tag WholeNumberTag(string name, int min, Func<int> max, Func<SearchAttributes, int, SearchAttributes> set) =>
        new(name, new JsonObject { ["type"] = new JsonArray("integer", "null") },
            (tags, json) => json.ValueKind == JsonValueKind.Number && json.TryGetInt32(out var number) && number >= min && number <= max()
                ? set(tags, number)
                : null);

    private static Tag BirthYearTag() => WholeNumberTag("birthYear", 1900, () => DateTime.UtcNow.Year, (t, v) => t with { BirthYear = v });

    /// <summary>One property of an answer: its JSON schema, and how a valid value lands in the tags (null: invalid).</summary>
    private sealed record Tag(string Name, JsonObject Schema, Func<SearchAttributes, JsonElement, SearchAttributes?> Apply);

    private sealed class TagSchema
    {
        public TagSchema(string name, IReadOnlyList<Tag> tags)
        {
            Name = name;
            Tags = tags;
            var properties = new JsonObject();
            var required = new JsonArray();
            foreach (var tag in tags)
            {
                properties[tag.Name] = tag.Schema.DeepClone();
                required.Add(tag.Name);
            }
            // Strict mode wants every property required and nothing else allowed; null stands for "unknown".
            Json = new JsonObject
            {
                ["type"] = "object",
                ["properties"] = properties,
                ["required"] = required,
                ["additionalProperties"] = false,
            }.ToJsonString();
        }

        public string Name { get; }

        public IReadOnlyList<Tag> Tags { get; }

        /// <summary>Kept as text: a JsonObject is not safe to read from several threads at once.</summary>
        public string Json { get; }
    }
}
