using System.Globalization;
using Azure;
using Likeness.Shared.Data;
using Likeness.Shared.Storage;
using LikenessFunctions.Functions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace LikenessFunctions.Media;

public static class MediaEndpoints
{
    // Far above any name MediaFilename.Create makes; longer ones are refused before reaching the database.
    private const int MaxFilenameLength = 255;

    public static IEndpointRouteBuilder MapMediaApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods(FunctionCatalog.Media.ApiPath(), FunctionCatalog.Media.Methods, ServeAsync)
            .WithName(FunctionCatalog.Media.Name)
            .WithSummary("Streams an uploaded file by its media filename, with byte ranges and ETag revalidation.")
            .Produces(StatusCodes.Status200OK, typeof(Stream), "application/octet-stream")
            .Produces(StatusCodes.Status206PartialContent, typeof(Stream), "application/octet-stream")
            .Produces(StatusCodes.Status304NotModified)
            .Produces(StatusCodes.Status416RangeNotSatisfiable)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status502BadGateway);
        return endpoints;
    }

    /// <summary>
    /// <c>GET|HEAD /api/media/{filename}</c>: a COMPLETE file's blob, streamed with its stored content
    /// type. Anything else (malformed names, unknown files, files still uploading or deleted) is 404.
    /// </summary>
    public static async Task<Results<MediaResponse, ProblemHttpResult>> ServeAsync(
        string filename, HttpRequest request, MediaAccess media, BlobStore blobs, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (filename.Length > MaxFilenameLength || !MediaFilename.IsValid(filename))
        {
            return NotFound();
        }
        var file = await media.GetMediaByFilenameAsync(filename, cancellationToken);
        if (file is not { Status: MediaStatus.Complete })
        {
            return NotFound();
        }
        var logger = loggers.CreateLogger(typeof(MediaEndpoints));
        try
        {
            var tags = request.GetTypedHeaders().IfNoneMatch;
            var response = HttpMethods.IsHead(request.Method)
                ? await HeadAsync(file, tags, blobs, cancellationToken)
                : await GetAsync(file, ByteRange.FromRequest(request), tags, blobs, cancellationToken);
            if (response is null)
            {
                logger.LogWarning("Media {Filename} is COMPLETE but its blob {Container}/{Blob} is missing", file.Filename, file.S3Bucket, file.S3Key);
                return NotFound();
            }
            return response;
        }
        catch (RequestFailedException error)
        {
            logger.LogError(error, "Blob storage failed to serve media {Filename} ({Container}/{Blob})", file.Filename, file.S3Bucket, file.S3Key);
            return TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Media storage is unavailable");
        }
    }

    /// <returns>Null when the blob does not exist.</returns>
    private static async Task<MediaResponse?> GetAsync(
        MediaFile file, ByteRange? range, IList<EntityTagHeaderValue> tags, BlobStore blobs, CancellationToken cancellationToken)
    {
        if (tags.Contains(EntityTagHeaderValue.Any))
        {
            // Blob storage refuses "*" on a read (UnsatisfiableCondition); any version matches a file that exists.
            return await HeadAsync(file, tags, blobs, cancellationToken);
        }
        HttpRange? blobRange = null;
        if (range is { IsSuffix: true } suffix)
        {
            // Get Blob takes no suffix ranges: turn the last n bytes into absolute positions first.
            if (await blobs.GetPropertiesAsync(file.S3Bucket, file.S3Key, cancellationToken) is not { } properties)
            {
                return null;
            }
            if (suffix.Resolve(properties.ContentLength) is not { } bytes)
            {
                return MediaResponse.RangeNotSatisfiable(properties.ContentLength);
            }
            blobRange = new HttpRange(bytes.First, bytes.Last - bytes.First + 1);
        }
        else if (range is { } absolute)
        {
            blobRange = absolute.ToBlobRange();
        }

        // If-None-Match compares weakly (RFC 9110 13.1.2), storage strongly: send the bare tags. A header that
        // does not parse is ignored rather than passed on for storage to reject.
        var ifNoneMatch = tags.Count > 0 ? string.Join(", ", tags.Select(tag => tag.Tag.Value)) : null;
        var download = await blobs.OpenReadAsync(file.S3Bucket, file.S3Key, blobRange, ifNoneMatch, cancellationToken);
        if (download is { Status: StatusCodes.Status206PartialContent, ContentLength: 0, Content: { } empty })
        {
            // Azurite answers a range starting exactly at the end with an empty 206 where Azure says 416.
            await empty.DisposeAsync();
            return await UnsatisfiableAsync(file, download, blobs, cancellationToken);
        }
        return download.Status switch
        {
            StatusCodes.Status200OK or StatusCodes.Status206PartialContent => MediaResponse.Ok(
                download.Status, download.Content, file.ContentType, download.ContentLength, download.ContentRange, download.ETag, download.LastModified),
            // Azurite leaves the ETag out of 304s; a lone tag from the client is the one that matched.
            StatusCodes.Status304NotModified => MediaResponse.NotModified(download.ETag ?? (tags.Count == 1 ? tags[0].Tag.Value : null), download.LastModified),
            StatusCodes.Status416RangeNotSatisfiable => await UnsatisfiableAsync(file, download, blobs, cancellationToken),
            _ => null,
        };
    }

    /// <summary>
    /// Answers from the blob's properties without opening its content. For HEAD, Range is ignored:
    /// RFC 9110 14.2 defines it for GET only.
    /// </summary>
    private static async Task<MediaResponse?> HeadAsync(MediaFile file, IList<EntityTagHeaderValue> tags, BlobStore blobs, CancellationToken cancellationToken)
    {
        if (await blobs.GetPropertiesAsync(file.S3Bucket, file.S3Key, cancellationToken) is not { } properties)
        {
            return null;
        }
        var current = EntityTagHeaderValue.Parse(properties.ETag);
        return tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(current, useStrongComparison: false))
            ? MediaResponse.NotModified(properties.ETag, properties.LastModified)
            : MediaResponse.Ok(StatusCodes.Status200OK, null, file.ContentType, properties.ContentLength, null, properties.ETag, properties.LastModified);
    }

    private static async Task<MediaResponse?> UnsatisfiableAsync(MediaFile file, BlobDownload download, BlobStore blobs, CancellationToken cancellationToken)
    {
        // The blob service may state the length ("bytes */N", "bytes a-b/N"); otherwise ask for it.
        if (download.ContentRange is { } contentRange
            && contentRange.LastIndexOf('/') is var slash and >= 0
            && long.TryParse(contentRange.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var stated))
        {
            return MediaResponse.RangeNotSatisfiable(stated);
        }
        return await blobs.GetPropertiesAsync(file.S3Bucket, file.S3Key, cancellationToken) is { } properties
            ? MediaResponse.RangeNotSatisfiable(properties.ContentLength)
            : null;
    }

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Media not found");
}
