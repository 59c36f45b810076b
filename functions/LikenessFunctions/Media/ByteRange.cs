namespace LikenessFunctions.Media;

/// <summary>
/// The single byte range a request asks for: <c>bytes=a-b</c>, <c>bytes=a-</c> or the suffix
/// <c>bytes=-n</c> (the last n bytes). <see cref="From"/> is null for a suffix, <see cref="To"/>
/// null for an open end.
/// </summary>
public readonly record struct ByteRange(long? From, long? To)
{
    /// <summary>
    /// The request's range, or null to serve the whole file: as ASP.NET Core's static files do, a
    /// Range header that is malformed, names another unit or asks for several ranges is ignored.
    /// </summary>
    public static ByteRange? FromRequest(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.GetTypedHeaders().Range;
        if (header is null
            || !header.Unit.Equals("bytes", StringComparison.OrdinalIgnoreCase)
            || header.Ranges.Count != 1)
        {
            return null;
        }
        var range = header.Ranges.Single();
        return new ByteRange(range.From, range.To);
    }

    /// <summary>
    /// The first and last byte of the range within a file of <paramref name="length"/> bytes; null
    /// when unsatisfiable. Ends past the file (up to <see cref="long.MaxValue"/>) are cut to it.
    /// </summary>
    public (long First, long Last)? Resolve(long length)
    {
        if (From is not { } from)
        {
            return To is > 0 && length > 0 ? (Math.Max(0, length - To.Value), length - 1) : null;
        }
        return from < length ? (from, Math.Min(To ?? long.MaxValue, length - 1)) : null;
    }
}
