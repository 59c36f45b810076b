using System.Text;
using System.Text.Json;
using Likeness.Shared.Data;
using LikenessFunctions.Http;

namespace LikenessFunctions.Queue;

public sealed record EnqueueResponse(string Id, QueueStatus Status);

/// <summary>The body of <c>POST /api/likeness/queue</c>, validated field by field.</summary>
public sealed record EnqueueRequest(string AccountId, QueueElementType ElementType, string? ElementId, JsonElement? Info)
{
    private static readonly HashSet<string> Fields = ["accountId", "elementType", "elementId", "info"];

    public static EnqueueRequest? Validate(JsonElement root, FieldErrors errors)
    {
        foreach (var property in root.EnumerateObject().Where(p => !Fields.Contains(p.Name)))
        {
            errors.Add(property.Name, "Unknown field.");
        }
        var accountId = root.TryGetProperty("accountId", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
        if (!InputRules.IsId(accountId))
        {
            errors.Add("accountId", $"Required: the id of the account to index, {InputRules.IdRule}");
        }
        var elementTypeLabel = root.TryGetProperty("elementType", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (!DbEnum<QueueElementType>.TryParse(elementTypeLabel, out var elementType))
        {
            errors.Add("elementType", $"Required, one of: {string.Join(", ", DbEnum<QueueElementType>.AllLabels)}.");
        }
        string? elementId = null;
        if (root.TryGetProperty("elementId", out var e) && e.ValueKind != JsonValueKind.Null)
        {
            elementId = e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            if (!InputRules.IsId(elementId))
            {
                errors.Add("elementId", $"When given, a string of {InputRules.IdRule}");
            }
        }
        JsonElement? info = null;
        if (root.TryGetProperty("info", out var i) && i.ValueKind != JsonValueKind.Null)
        {
            if (i.ValueKind != JsonValueKind.Object)
            {
                errors.Add("info", "When given, a JSON object.");
            }
            else if (Encoding.UTF8.GetByteCount(i.GetRawText()) > InputRules.MaxInfoBytes)
            {
                errors.Add("info", $"At most {InputRules.MaxInfoBytes} bytes of JSON.");
            }
            info = i;
        }
        return errors.Any ? null : new EnqueueRequest(accountId!, elementType, elementId, info);
    }
}
