using Microsoft.Net.Http.Headers;

namespace LikenessFunctions.Media;

/// <summary>
/// Which stored content types are served inline. Files are served from the API's own origin, so
/// anything a browser could run (HTML, SVG, XML, scripts) is sent as an opaque download instead.
/// </summary>
public static class MediaContentType
{
    public const string Download = "application/octet-stream";

    private static readonly HashSet<string> Inline = new(StringComparer.OrdinalIgnoreCase)
    {
        "image/png", "image/jpeg", "image/gif", "image/webp", "image/avif",
        "audio/mpeg", "audio/wav", "audio/x-wav", "audio/wave", "audio/ogg", "audio/webm", "audio/mp4", "audio/aac", "audio/flac",
    };

    /// <returns>
    /// The type to send (the bare media type, lower case, without parameters that could carry
    /// anything into the header) and whether it is served inline.
    /// </returns>
    public static (string ContentType, bool IsInline) ToServe(string stored) =>
        MediaTypeHeaderValue.TryParse(stored, out var parsed) && parsed.MediaType.Value is { } type && Inline.Contains(type)
            ? (type.ToLowerInvariant(), true)
            : (Download, false);
}
