namespace Likeness.Shared.Data;

/// <summary>
/// An uploaded file. <see cref="Filename"/> is its public reference (<c>photo-a3f2.jpg</c>);
/// the <c>s3_*</c> columns keep the platform's names and hold the blob's coordinates:
/// <see cref="S3Key"/> is the blob name, <see cref="S3Bucket"/> the container.
/// </summary>
public sealed record MediaFile(
    string Id,
    string Filename,
    string? OriginalFilename,
    string S3Key,
    string S3Bucket,
    string? S3Region,
    string ContentType,
    MediaStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <param name="Filename">From <see cref="MediaFilename.Create"/>.</param>
/// <param name="S3Key">The blob name.</param>
/// <param name="S3Bucket">The blob container.</param>
public sealed record NewMediaFile(
    string Filename,
    string? OriginalFilename,
    string S3Key,
    string S3Bucket,
    string? S3Region,
    string ContentType,
    MediaStatus Status = MediaStatus.Uploading);
