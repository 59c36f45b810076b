using System.ClientModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.AI.OpenAI;
using Likeness.Shared.Data;
using Likeness.Shared.Search.Briefs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenAI.Chat;

namespace Likeness.Shared.Providers;

/// <summary>
/// Reads briefs with the chat model, held by a strict JSON schema generated from
/// <see cref="SearchAttributeCatalog"/> to our labels and ranges. Any failure, an unusable answer
/// or an answer slower than <see cref="BriefOptions.Timeout"/> hands the brief to the local parser,
/// so search never fails or waits because of this.
/// </summary>
public sealed class OpenAiBriefInterpreter : IBriefInterpreter
{
    private const string Provider = "Azure OpenAI chat";
    private const string RemainingText = "remainingText";

    private const string Instructions =
        "You turn casting briefs into search filters for a talent search. Answer with one JSON object holding exactly the "
        + "requested properties. Set only what the brief asks for and null everything else; use only the listed values. "
        + "Heights are centimetres, weights kilograms, followers a count, engagement a percentage. Ages become birth years: "
        + "someone N years old today was born N or N+1 years ago. remainingText holds the brief's words that none of the "
        + "filters express (style, mood, props), or null.";

    /// <summary>Kept as text: a JsonObject is not safe to read from several threads at once.</summary>
    private static readonly string Schema = BuildSchema();

    private readonly ChatClient chat;
    private readonly BriefOptions options;
    private readonly LocalBriefInterpreter local;
    private readonly TimeProvider time;
    private readonly ILogger<OpenAiBriefInterpreter> logger;

    public OpenAiBriefInterpreter(
        AzureOpenAIClient client,
        IOptions<AiOptions> ai,
        IOptions<BriefOptions> options,
        LocalBriefInterpreter local,
        TimeProvider time,
        ILogger<OpenAiBriefInterpreter> logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(ai);
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        chat = client.GetChatClient(ai.Value.VisionModel);
        (this.local, this.time, this.logger) = (local, time, logger);
    }

    public async Task<BriefInterpretation> InterpretAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Timeout);
        try
        {
            var completion = (await chat.CompleteChatAsync(
                [new SystemChatMessage(Instructions), new UserChatMessage($"Today is {today:yyyy-MM-dd}. The brief:\n\n{text}")],
                new ChatCompletionOptions
                {
                    ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("likeness_brief", BinaryData.FromString(Schema), jsonSchemaIsStrict: true),
                },
                deadline.Token)).Value;
            if (!string.IsNullOrEmpty(completion.Refusal))
            {
                throw ProviderException.Malformed(Provider, "the model refused");
            }
            return Read(string.Concat(completion.Content.Where(p => p.Kind == ChatMessageContentPartKind.Text).Select(p => p.Text)));
        }
        catch (OperationCanceledException error) when (!cancellationToken.IsCancellationRequested)
        {
            return Fallback(text, ProviderException.TimedOut(Provider, options.Timeout, error));
        }
        catch (ClientResultException error)
        {
            return Fallback(text, ProviderException.FromClientResult(Provider, error));
        }
        catch (JsonException error)
        {
            return Fallback(text, ProviderException.Malformed(Provider, "the answer is not JSON", error));
        }
        catch (ProviderException error)
        {
            return Fallback(text, error);
        }
    }

    private BriefInterpretation Fallback(string text, ProviderException error)
    {
        // Never the brief itself: search text stays out of the logs.
        logger.LogWarning(error, "Brief read by the local parser: {Provider} failed with status {Status}", Provider, error.StatusCode);
        return local.Interpret(text);
    }

    /// <summary>The answer as filters; a value outside the schema costs that value only.</summary>
    private static BriefInterpretation Read(string answer)
    {
        using var document = JsonDocument.Parse(answer);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw ProviderException.Malformed(Provider, $"the answer is a JSON {document.RootElement.ValueKind}, not an object");
        }
        var root = document.RootElement;
        var filters = new SearchFilters();
        foreach (var attribute in SearchAttributeCatalog.All)
        {
            filters = attribute switch
            {
                FlagAttribute flag => root.TryGetProperty(flag.Name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
                    ? flag.WithOrdinals(filters, [value.GetBoolean() ? 1 : 0])
                    : filters,
                DiscreteAttribute discrete => Labels(root, discrete) is { Count: > 0 } ordinals ? discrete.WithOrdinals(filters, ordinals) : filters,
                RangeAttribute range => Number(root, range.MinName) is var low && Number(root, range.MaxName) is var high
                    && (low, high) is not (null, null) && !(low > high)
                    ? range.WithRange(filters, low, high)
                    : filters,
                _ => filters,
            };
        }
        var remaining = root.TryGetProperty(RemainingText, out var rest) && rest.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(rest.GetString())
            ? rest.GetString()!.Trim()
            : null;
        return new BriefInterpretation(filters, remaining, BriefParsers.AzureOpenAi);
    }

    private static List<int>? Labels(JsonElement root, DiscreteAttribute attribute) =>
        root.TryGetProperty(attribute.Name, out var values) && values.ValueKind == JsonValueKind.Array
            ? [.. values.EnumerateArray()
                .Where(v => v.ValueKind == JsonValueKind.String)
                .Select(v => attribute.OrdinalOfLabel(v.GetString()!))
                .Where(o => o >= 0)]
            : null;

    private static double? Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number)
            && double.IsFinite(number) && number >= 0
            ? number
            : null;

    /// <summary>
    /// Every attribute of the catalogue: enums as lists of their labels, flags as booleans, ranges
    /// as their two ends, all nullable; strict mode wants each property required and no others.
    /// </summary>
    private static string BuildSchema()
    {
        var properties = new JsonObject();
        foreach (var attribute in SearchAttributeCatalog.All)
        {
            switch (attribute)
            {
                case FlagAttribute flag:
                    properties[flag.Name] = new JsonObject { ["type"] = new JsonArray("boolean", "null") };
                    break;
                case DiscreteAttribute discrete:
                    properties[discrete.Name] = new JsonObject
                    {
                        ["type"] = new JsonArray("array", "null"),
                        ["items"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. discrete.Labels.Select(l => (JsonNode)l)]) },
                    };
                    break;
                case RangeAttribute range:
                    var type = range.IsWhole ? "integer" : "number";
                    properties[range.MinName] = new JsonObject { ["type"] = new JsonArray(type, "null"), ["description"] = $"{range.Words}, at least, in {range.Unit}" };
                    properties[range.MaxName] = new JsonObject { ["type"] = new JsonArray(type, "null"), ["description"] = $"{range.Words}, at most, in {range.Unit}" };
                    break;
            }
        }
        properties[RemainingText] = new JsonObject { ["type"] = new JsonArray("string", "null") };
        return new JsonObject
        {
            ["type"] = "object",
            ["properties"] = properties,
            ["required"] = new JsonArray([.. properties.Select(p => (JsonNode)p.Key)]),
            ["additionalProperties"] = false,
        }.ToJsonString();
    }
}
