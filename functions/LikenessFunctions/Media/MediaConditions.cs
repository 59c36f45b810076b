using Microsoft.Net.Http.Headers;

namespace LikenessFunctions.Media;

/// <summary>The conditional headers of a media request, evaluated as RFC 9110 section 13 orders them.</summary>
public sealed class MediaConditions
{
    private readonly IList<EntityTagHeaderValue> ifNoneMatch;
    private readonly DateTimeOffset? ifModifiedSince;
    private readonly RangeConditionHeaderValue? ifRange;
    private readonly bool hasIfRange;

    private MediaConditions(HttpRequest request)
    {
        var headers = request.GetTypedHeaders();
        ifNoneMatch = headers.IfNoneMatch;
        ifModifiedSince = headers.IfModifiedSince;
        ifRange = headers.IfRange;
        hasIfRange = request.Headers.ContainsKey(HeaderNames.IfRange);
    }

    public static MediaConditions FromRequest(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new MediaConditions(request);
    }

    /// <summary>Whether answering needs the blob's validators before its content.</summary>
    public bool Any => ifNoneMatch.Count > 0 || ifModifiedSince is not null || hasIfRange;

    /// <summary>
    /// If-None-Match (any listed tag, compared weakly, or <c>*</c>); only without it, If-Modified-Since.
    /// A header that does not parse is no condition.
    /// </summary>
    public bool IsNotModified(Validators current)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (ifNoneMatch.Count > 0)
        {
            var tag = EntityTagHeaderValue.Parse(current.ETag);
            return ifNoneMatch.Any(given => given.Equals(EntityTagHeaderValue.Any) || given.Compare(tag, useStrongComparison: false));
        }
        return ifModifiedSince is { } since && WholeSeconds(current.LastModified) <= since;
    }

    /// <summary>
    /// Whether a Range may be honoured: without If-Range, or when its validator matches strongly
    /// (a weak tag never does). A malformed If-Range is a mismatch, so the client gets the whole file.
    /// </summary>
    public bool RangeApplies(Validators current)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (!hasIfRange)
        {
            return true;
        }
        return ifRange switch
        {
            { EntityTag: { } tag } => tag.Compare(EntityTagHeaderValue.Parse(current.ETag), useStrongComparison: true),
            { LastModified: { } date } => WholeSeconds(current.LastModified) == date,
            _ => false,
        };
    }

    // HTTP dates have whole seconds; storage's times may not.
    private static DateTimeOffset WholeSeconds(DateTimeOffset time) => time.AddTicks(-(time.Ticks % TimeSpan.TicksPerSecond));
}
