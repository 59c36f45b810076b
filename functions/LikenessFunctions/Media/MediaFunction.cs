using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Likeness.Shared.Data;
using Likeness.Shared.Media;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace LikenessFunctions.Media;

public sealed class MediaFunction(MediaAccess media, MediaLibrary library, ILogger<MediaFunction> logger)
{
    // Far above any name MediaFilename.Create makes; longer ones are refused before reaching the database.
    private const int MaxFilenameLength = 255;

    /// <summary>
    /// <c>GET|HEAD /api/media/{filename}</c>: a COMPLETE file's blob, streamed with its stored content
    /// type. Anything else (malformed names, unknown files, files still uploading or deleted) is 404.
    /// </summary>
    [Function(nameof(Media))]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status502BadGateway, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<Results<MediaResponse, ProblemHttpResult>> Media(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = Routes.Media)] HttpRequest request,
        string filename,
        CancellationToken cancellationToken)
    {
        if (filename.Length > MaxFilenameLength || !MediaFilename.IsValid(filename))
        {
            return NotFound();
        }
        var file = await media.GetMediaByFilenameAsync(filename, cancellationToken);
        if (file is not { Status: MediaStatus.Complete })
        {
            return NotFound();
        }
        var blob = library.BlobOf(file);
        try
        {
            var tags = request.GetTypedHeaders().IfNoneMatch;
            var response = HttpMethods.IsHead(request.Method)
                ? await HeadAsync(file, blob, tags, cancellationToken)
                : await GetAsync(file, blob, ByteRange.FromRequest(request), tags, cancellationToken);
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
        MediaFile file, BlobClient blob, ByteRange? range, IList<EntityTagHeaderValue> tags, CancellationToken cancellationToken)
    {
        if (tags.Contains(EntityTagHeaderValue.Any))
        {
            // Blob storage refuses "*" on a read (UnsatisfiableCondition); any version matches a file that exists.
            return await HeadAsync(file, blob, tags, cancellationToken);
        }
        HttpRange blobRange = default;
        if (range is { IsSuffix: true } suffix)
        {
            // Get Blob takes no suffix ranges: turn the last n bytes into absolute positions first.
            if (await PropertiesAsync(blob, cancellationToken) is not { } properties)
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
        var conditions = tags.Count > 0 ? new BlobRequestConditions { IfNoneMatch = new ETag(string.Join(", ", tags.Select(tag => tag.Tag.Value))) } : null;
        try
        {
            var download = await blob.DownloadStreamingAsync(new BlobDownloadOptions { Range = blobRange, Conditions = conditions }, cancellationToken);
            var raw = download.GetRawResponse();
            if (raw.Status == StatusCodes.Status304NotModified)
            {
                // A 304 has no body, so the SDK gives no value. Azurite leaves the ETag out: a lone tag from the client is the one that matched.
                return MediaResponse.NotModified(raw.Headers.ETag?.ToString("H") ?? (tags.Count == 1 ? tags[0].Tag.Value : null), LastModifiedOf(raw));
            }
            var details = download.Value.Details;
            if (raw.Status == StatusCodes.Status206PartialContent && details.ContentLength == 0)
            {
                // Azurite answers a range starting exactly at the end with an empty 206 where Azure says 416.
                await download.Value.Content.DisposeAsync();
                return await UnsatisfiableAsync(blob, details.ContentRange, cancellationToken);
            }
            return MediaResponse.Ok(raw.Status, download.Value.Content, file.ContentType, details.ContentLength,
                raw.Status == StatusCodes.Status206PartialContent ? details.ContentRange : null, details.ETag.ToString("H"), details.LastModified);
        }
        catch (RequestFailedException error) when (error.Status == StatusCodes.Status416RangeNotSatisfiable)
        {
            return await UnsatisfiableAsync(blob, error.GetRawResponse()?.Headers.TryGetValue(HeaderNames.ContentRange, out var stated) == true ? stated : null, cancellationToken);
        }
        catch (RequestFailedException error) when (error.Status == StatusCodes.Status404NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Answers from the blob's properties without opening its content. For HEAD, Range is ignored:
    /// RFC 9110 14.2 defines it for GET only.
    /// </summary>
    private static async Task<MediaResponse?> HeadAsync(MediaFile file, BlobBaseClient blob, IList<EntityTagHeaderValue> tags, CancellationToken cancellationToken)
    {
        if (await PropertiesAsync(blob, cancellationToken) is not { } properties)
        {
            return null;
        }
        var etag = properties.ETag.ToString("H");
        var current = EntityTagHeaderValue.Parse(etag);
        return tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(current, useStrongComparison: false))
            ? MediaResponse.NotModified(etag, properties.LastModified)
            : MediaResponse.Ok(StatusCodes.Status200OK, null, file.ContentType, properties.ContentLength, null, etag, properties.LastModified);
    }

    private static async Task<MediaResponse?> UnsatisfiableAsync(BlobBaseClient blob, string? contentRange, CancellationToken cancellationToken)
    {
        // The blob service may state the length ("bytes */N", "bytes a-b/N"); otherwise ask for it.
        if (contentRange is not null
            && contentRange.LastIndexOf('/') is var slash and >= 0
            && long.TryParse(contentRange.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var stated))
        {
            return MediaResponse.RangeNotSatisfiable(stated);
        }
        return await PropertiesAsync(blob, cancellationToken) is { } properties
            ? MediaResponse.RangeNotSatisfiable(properties.ContentLength)
            : null;
    }

    private static async Task<BlobProperties?> PropertiesAsync(BlobBaseClient blob, CancellationToken cancellationToken)
    {
        try
        {
            return (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
        }
        catch (RequestFailedException error) when (error.Status == StatusCodes.Status404NotFound)
        {
            return null;
        }
    }

    private static DateTimeOffset? LastModifiedOf(Response response) =>
        response.Headers.TryGetValue(HeaderNames.LastModified, out var value) == true
        && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : null;

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Media not found");
}
