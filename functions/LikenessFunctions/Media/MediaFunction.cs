using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Likeness.Shared.Data;
using Likeness.Shared.Media;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LikenessFunctions.Media;

[Tags("Media")]
public sealed class MediaFunction(MediaAccess media, MediaLibrary library, IOptions<MediaProxyOptions> options, ILogger<MediaFunction> logger)
{
    /// <summary>Sent with every media answer, errors included: whatever a file holds, it never runs as a page of our origin.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; sandbox";

    // Far above any name MediaFilename.Create makes; longer ones are refused before reaching the database.
    private const int MaxFilenameLength = 255;

    /// <summary>
    /// <c>GET|HEAD /api/media/{filename}</c>: a COMPLETE file's blob from the media container,
    /// streamed (images and audio inline, anything else as a download). Anything else (malformed
    /// names, unknown files, files still uploading or withdrawn, rows naming a blob outside the
    /// media container) is 404.
    /// </summary>
    [Function(nameof(Media))]
    [EndpointSummary("A media file, streamed with ranges and revalidation")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status502BadGateway, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<Results<MediaResponse, ProblemHttpResult>> Media(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = Routes.Media)] HttpRequest request,
        string filename,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.HttpContext.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        request.HttpContext.Response.Headers.XContentTypeOptions = "nosniff";
        if (filename.Length > MaxFilenameLength || !MediaFilename.IsValid(filename))
        {
            return NotFound();
        }
        var file = await media.GetMediaByFilenameAsync(filename, cancellationToken);
        if (file is not { Status: MediaStatus.Complete })
        {
            return NotFound();
        }
        if (library.BlobOf(file) is not { } blob)
        {
            logger.LogWarning("Media {Filename} refused: its row names blob {Container}/{Blob}, outside the media container or not a safe name",
                file.Filename, file.S3Bucket, file.S3Key);
            return NotFound();
        }
        try
        {
            var response = await AnswerAsync(request, file, blob, cancellationToken);
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

    /// <summary>
    /// A plain GET streams at once; a HEAD, a conditional or a ranged request reads the blob's
    /// properties first, so that the conditions and the range are judged against the same version.
    /// </summary>
    /// <returns>Null when the blob does not exist.</returns>
    private async Task<MediaResponse?> AnswerAsync(HttpRequest request, MediaFile file, BlobClient blob, CancellationToken cancellationToken)
    {
        var cacheControl = MediaResponse.CacheControlFor(options.Value);
        var head = HttpMethods.IsHead(request.Method);
        var conditions = MediaConditions.FromRequest(request);
        // RFC 9110 14.2: Range is defined for GET only.
        var range = head ? null : ByteRange.FromRequest(request);
        if (!head && !conditions.Any && range is null)
        {
            return await DownloadAsync(blob, file, null, cacheControl, cancellationToken);
        }
        if (await PropertiesAsync(blob, cancellationToken) is not { } properties)
        {
            return null;
        }
        var validators = new Validators(properties.ETag.ToString("H"), properties.LastModified);
        if (conditions.IsNotModified(validators))
        {
            return MediaResponse.NotModified(validators, cacheControl);
        }
        if (head)
        {
            return MediaResponse.Ok(StatusCodes.Status200OK, null, file.ContentType, properties.ContentLength, null, validators, cacheControl);
        }
        if (range is not { } asked || !conditions.RangeApplies(validators))
        {
            return await DownloadAsync(blob, file, null, cacheControl, cancellationToken);
        }
        return asked.Resolve(properties.ContentLength) is { } bytes
            ? await DownloadAsync(blob, file, bytes, cacheControl, cancellationToken)
            : MediaResponse.RangeNotSatisfiable(properties.ContentLength);
    }

    /// <returns>Null when the blob does not exist.</returns>
    private static async Task<MediaResponse?> DownloadAsync(
        BlobClient blob, MediaFile file, (long First, long Last)? bytes, string cacheControl, CancellationToken cancellationToken)
    {
        var blobRange = bytes is var (first, last) ? new HttpRange(first, last - first + 1) : default;
        try
        {
            var download = await blob.DownloadStreamingAsync(new BlobDownloadOptions { Range = blobRange }, cancellationToken);
            var details = download.Value.Details;
            var validators = new Validators(details.ETag.ToString("H"), details.LastModified);
            var partial = bytes is not null;
            return MediaResponse.Ok(partial ? StatusCodes.Status206PartialContent : StatusCodes.Status200OK, download.Value.Content, file.ContentType,
                details.ContentLength, partial ? details.ContentRange : null, validators, cacheControl);
        }
        catch (RequestFailedException error) when (error.Status == StatusCodes.Status404NotFound)
        {
            return null;
        }
    }

    private static async Task<BlobProperties?> PropertiesAsync(BlobClient blob, CancellationToken cancellationToken)
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

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Media not found");
}
