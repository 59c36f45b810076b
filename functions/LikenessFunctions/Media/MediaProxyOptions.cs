namespace LikenessFunctions.Media;

/// <summary>Settings of the media proxy, section <c>MediaProxy</c>.</summary>
public sealed class MediaProxyOptions
{
    public const string SectionName = "MediaProxy";

    /// <summary>
    /// How long browsers and CDNs may reuse a file without asking again (Cache-Control max-age).
    /// A withdrawn file (SOFT_DELETE) stays visible in their caches for up to this long, so it is
    /// short; after it, the ETag makes a revalidation cheap.
    /// </summary>
    public int MaxAgeSeconds { get; set; } = 300;
}
