namespace LikenessFunctions.Http;

/// <summary>
/// The input rules every endpoint shares (README, "Input rules"): ids, strings, sizes. Each
/// check names the offending field; none lets a value reach PostgreSQL that it would refuse.
/// </summary>
public static class InputRules
{
    /// <summary>Ids (accountId, elementId, eventId): far above the platform's 21-character nanoids.</summary>
    public const int MaxIdLength = 64;

    /// <summary>
    /// The longest query string (after <c>?</c>), well under the 8 KB request line that Kestrel and
    /// Azure's front ends answer with a bare 414, so that a long one gets the API's problem+json.
    /// </summary>
    public const int MaxQueryLength = 4096;

    /// <summary>The serialized size of a queue event's <c>info</c>.</summary>
    public const int MaxInfoBytes = 8 * 1024;

    /// <summary>An id: 1 to <see cref="MaxIdLength"/> characters, none of them whitespace or control characters.</summary>
    public static bool IsId(string? value) =>
        value is { Length: > 0 and <= MaxIdLength } && !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));

    public static string IdRule => $"1 to {MaxIdLength} characters, without whitespace or control characters.";

    /// <summary>PostgreSQL refuses NUL in text and jsonb; other control characters are data.</summary>
    public static bool HasNul(string value) => value.Contains('\0', StringComparison.Ordinal);
}
