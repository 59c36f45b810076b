using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Metadata;

namespace LikenessFunctions.Media;

/// <summary>
/// A media proxy answer: 200 or 206 with the blob's bytes streamed straight from storage
/// (never buffered), 304, or 416. A HEAD answer carries the same headers and no content.
/// </summary>
public sealed class MediaResponse : IResult, IEndpointMetadataProvider
{
    /// <summary>Filenames are unique and never reused for other content, so a response stays right forever.</summary>
    public const string CacheControl = "public, max-age=31536000, immutable";

    private MediaResponse(int statusCode)
    {
        StatusCode = statusCode;
    }

    public int StatusCode { get; }

    /// <summary>The live blob stream, disposed once written; null for HEAD and for answers without content.</summary>
    public Stream? Content { get; private init; }

    public string? ContentType { get; private init; }

    public long? ContentLength { get; private init; }

    public string? ContentRange { get; private init; }

    /// <summary>Quoted, as in the ETag header.</summary>
    public string? ETag { get; private init; }

    public DateTimeOffset? LastModified { get; private init; }

    /// <param name="contentRange">For 206, e.g. <c>bytes 0-99/1234</c>.</param>
    public static MediaResponse Ok(
        int statusCode, Stream? content, string contentType, long? contentLength, string? contentRange, string? etag, DateTimeOffset? lastModified) =>
        new(statusCode)
        {
            Content = content,
            ContentType = contentType,
            ContentLength = contentLength,
            ContentRange = contentRange,
            ETag = etag,
            LastModified = lastModified,
        };

    public static MediaResponse NotModified(string? etag, DateTimeOffset? lastModified) =>
        new(StatusCodes.Status304NotModified) { ETag = etag, LastModified = lastModified };

    public static MediaResponse RangeNotSatisfiable(long length) =>
        new(StatusCodes.Status416RangeNotSatisfiable) { ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes */{length}") };

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        string[] bytes = ["application/octet-stream"];
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
        if (StatusCode != StatusCodes.Status416RangeNotSatisfiable)
        {
            response.Headers.CacheControl = CacheControl;
            // Uploaded files are served from the API's own origin: never let a browser guess them into HTML.
            response.Headers.XContentTypeOptions = "nosniff";
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
            response.ContentType = ContentType;
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
