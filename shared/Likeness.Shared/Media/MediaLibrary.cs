using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Likeness.Shared.Data;

namespace Likeness.Shared.Media;

/// <summary>Files by their public media filename: a <c>media</c> row plus its blob.</summary>
/// <param name="uploads">The container new files go to (<see cref="Storage.BlobStorageOptions.Container"/>).</param>
public sealed class MediaLibrary(MediaAccess media, BlobContainerClient uploads)
{
    /// <summary>Files the AI models read whole; larger ones are not sent.</summary>
    public const long MaxReadBytes = 25 * 1024 * 1024;

    // Blob storage's own limit on a blob name.
    private const int MaxBlobNameLength = 1024;

    private volatile bool containerExists;

    /// <summary>
    /// Stores a new file: the row is created UPLOADING and becomes COMPLETE only once the blob is
    /// written, so a crash in between never leaves a served file without content.
    /// </summary>
    public async Task<MediaFile> UploadAsync(string originalFilename, string contentType, BinaryData content, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(originalFilename);
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        ArgumentNullException.ThrowIfNull(content);
        var filename = MediaFilename.Create(originalFilename);
        var row = await media.CreateMediaAsync(new NewMediaFile(filename, originalFilename, filename, uploads.Name, null, contentType), cancellationToken);
        if (!containerExists)
        {
            await uploads.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            containerExists = true;
        }
        await uploads.GetBlobClient(filename).UploadAsync(
            content, new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } }, cancellationToken);
        await media.UpdateMediaStatusAsync(row.Id, MediaStatus.Complete, cancellationToken);
        return row with { Status = MediaStatus.Complete };
    }

    /// <summary>
    /// The blob of a file, or null when its row names a blob outside the media container or a
    /// name that could leave it: rows are data, and the app's identity may reach more of the
    /// account than the media files. Serving and reading for the models both go through here.
    /// </summary>
    public BlobClient? BlobOf(MediaFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return file.S3Bucket == uploads.Name && IsSafeBlobName(file.S3Key) ? uploads.GetBlobClient(file.S3Key) : null;
    }

    /// <summary>
    /// A blob name that stays inside its container whatever a storage client or proxy makes of it:
    /// no <c>..</c>, no leading slash, no backslash, no control character.
    /// </summary>
    public static bool IsSafeBlobName(string name) =>
        name is { Length: > 0 and <= MaxBlobNameLength }
        && !name.StartsWith('/')
        && !name.Contains("..", StringComparison.Ordinal)
        && !name.Contains('\\', StringComparison.Ordinal)
        && !name.Any(char.IsControl);

    /// <returns>The content of a COMPLETE file, or null when there is no such file (or it has no blob).</returns>
    /// <exception cref="InvalidDataException">The file is larger than <see cref="MaxReadBytes"/>.</exception>
    public async Task<(BinaryData Content, string ContentType)?> ReadAsync(string filename, CancellationToken cancellationToken)
    {
        var file = await media.GetMediaByFilenameAsync(filename, cancellationToken);
        if (file is not { Status: MediaStatus.Complete } || BlobOf(file) is not { } blob)
        {
            return null;
        }
        BlobDownloadStreamingResult download;
        try
        {
            download = await blob.DownloadStreamingAsync(cancellationToken: cancellationToken);
        }
        catch (RequestFailedException error) when (error.Status == 404)
        {
            return null;
        }
        using (download)
        {
            // Checked before reading, so an oversized file is never buffered.
            if (download.Details.ContentLength > MaxReadBytes)
            {
                throw new InvalidDataException($"Media file {filename} is larger than {MaxReadBytes} bytes.");
            }
            return (await BinaryData.FromStreamAsync(download.Content, cancellationToken), file.ContentType);
        }
    }
}
