using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace LikenessFunctions.Media;

/// <summary>
/// A media proxy answer: 200 or 206 with the blob's bytes streamed straight from storage
/// (never buffered), 304, or 416. A HEAD answer carries the same headers and no content.
/// </summary>
public sealed class MediaResponse : IResult, IEndpointMetadataProvider
{
    private MediaResponse(int statusCode)
    {
        StatusCode = statusCode;
    }

    public int StatusCode { get; }

    /// <summary>The live blob stream, disposed once written; null for HEAD and for answers without content.</summary>
    public Stream? Content { get; private init; }

    /// <summary>The type as stored; what is sent is decided by <see cref="MediaContentType.ToServe"/>.</summary>
    public string? ContentType { get; private init; }

    public long? ContentLength { get; private init; }

    public string? ContentRange { get; private init; }

    /// <summary>Quoted, as in the ETag header.</summary>
    public string? ETag { get; private init; }

    public DateTimeOffset? LastModified { get; private init; }

    /// <summary>Cache-Control of answers that may be cached (200, 206, 304); null for the others.</summary>
    public string? CacheControl { get; private init; }

    /// <param name="contentRange">For 206, e.g. <c>bytes 0-99/1234</c>.</param>
    public static MediaResponse Ok(
        int statusCode, Stream? content, string contentType, long? contentLength, string? contentRange, Validators validators, string cacheControl) =>
        new(statusCode)
        {
            Content = content,
            ContentType = contentType,
            ContentLength = contentLength,
            ContentRange = contentRange,
            ETag = validators.ETag,
            LastModified = validators.LastModified,
            CacheControl = cacheControl,
        };

    public static MediaResponse NotModified(Validators validators, string cacheControl) =>
        new(StatusCodes.Status304NotModified) { ETag = validators.ETag, LastModified = validators.LastModified, CacheControl = cacheControl };

    public static MediaResponse RangeNotSatisfiable(long length) =>
        new(StatusCodes.Status416RangeNotSatisfiable) { ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes */{length}") };

    /// <summary>The Cache-Control of a cacheable media answer: fresh for a short while, then revalidated by ETag.</summary>
    public static string CacheControlFor(MediaProxyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.Create(CultureInfo.InvariantCulture, $"public, max-age={options.MaxAgeSeconds}");
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        string[] bytes = [MediaContentType.Download];
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(Stream), bytes));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status206PartialContent, typeof(Stream), bytes));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status304NotModified));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status416RangeNotSatisfiable));
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        response.Headers.AcceptRanges = "bytes";
        // Error answers (the 416) are made no-store by HttpFailureMiddleware, as every function's are.
        if (CacheControl is not null)
        {
            response.Headers.CacheControl = CacheControl;
        }
        if (ETag is not null)
        {
            response.Headers.ETag = ETag;
        }
        if (LastModified is { } lastModified)
        {
            response.GetTypedHeaders().LastModified = lastModified;
        }
        if (ContentRange is not null)
        {
            response.Headers.ContentRange = ContentRange;
        }
        if (ContentType is not null)
        {
            var (type, inline) = MediaContentType.ToServe(ContentType);
            response.ContentType = type;
            if (!inline)
            {
                response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment").ToString();
            }
        }
        response.ContentLength = StatusCode == StatusCodes.Status416RangeNotSatisfiable ? 0 : ContentLength;
        if (Content is null)
        {
            return;
        }
        await using (Content)
        {
            await Content.CopyToAsync(response.Body, httpContext.RequestAborted);
        }
    }
}

/// <summary>A blob's validators, as the ETag and Last-Modified headers carry them.</summary>
/// <param name="ETag">Quoted.</param>
public sealed record Validators(string ETag, DateTimeOffset LastModified);
