using Likeness.Shared.Data;
using Likeness.Shared.Storage;
using Microsoft.Extensions.Options;

namespace Likeness.Shared.Media;

/// <summary>Files by their public media filename: a <c>media</c> row plus its blob.</summary>
public sealed class MediaLibrary(MediaAccess media, BlobStore blobs, IOptions<BlobStorageOptions> options)
{
    /// <summary>Files the AI models read whole; larger ones are not sent.</summary>
    public const long MaxReadBytes = 25 * 1024 * 1024;

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
        var container = options.Value.Container;
        var filename = MediaFilename.Create(originalFilename);
        var row = await media.CreateMediaAsync(new NewMediaFile(filename, originalFilename, filename, container, null, contentType), cancellationToken);
        if (!containerExists)
        {
            await blobs.CreateContainerIfNotExistsAsync(container, cancellationToken);
            containerExists = true;
        }
        await using (var stream = content.ToStream())
        {
            await blobs.UploadAsync(container, filename, stream, contentType, cancellationToken);
        }
        await media.UpdateMediaStatusAsync(row.Id, MediaStatus.Complete, cancellationToken);
        return row with { Status = MediaStatus.Complete };
    }

    /// <returns>The content of a COMPLETE file, or null when there is no such file (or it has no blob).</returns>
    public async Task<(BinaryData Content, string ContentType)?> ReadAsync(string filename, CancellationToken cancellationToken)
    {
        var file = await media.GetMediaByFilenameAsync(filename, cancellationToken);
        if (file is not { Status: MediaStatus.Complete })
        {
            return null;
        }
        var download = await blobs.OpenReadAsync(file.S3Bucket, file.S3Key, cancellationToken: cancellationToken);
        if (download.Content is null)
        {
            return null;
        }
        await using var content = download.Content;
        if (download.ContentLength > MaxReadBytes)
        {
            throw new InvalidDataException($"Media file {filename} is larger than {MaxReadBytes} bytes.");
        }
        return (await BinaryData.FromStreamAsync(content, cancellationToken), file.ContentType);
    }
}
