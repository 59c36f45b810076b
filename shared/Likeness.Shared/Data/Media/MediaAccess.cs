using Npgsql;

namespace Likeness.Shared.Data;

/// <summary>Access functions for <c>media</c>, the registry of uploaded files behind <c>/api/media/{filename}</c>.</summary>
public sealed class MediaAccess(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "id, filename, original_filename, s3_key, s3_bucket, s3_region, content_type, status::text, created_at, updated_at";

    /// <exception cref="PostgresException">The filename is taken (<c>media_filename_unique</c>); create a new one and retry.</exception>
    public async Task<MediaFile> CreateMediaAsync(NewMediaFile data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!MediaFilename.IsValid(data.Filename))
        {
            throw new ArgumentException($"'{data.Filename}' is not a media filename; use MediaFilename.Create.", nameof(data.Filename));
        }
        Guard.Id(data.S3Key, nameof(data.S3Key));
        Guard.Id(data.S3Bucket, nameof(data.S3Bucket));
        Guard.Id(data.ContentType, nameof(data.ContentType));
        var status = DbEnum<MediaStatus>.ToLabel(data.Status, nameof(data.Status));
        await using var command = dataSource.Command($"""
            INSERT INTO media (id, filename, original_filename, s3_key, s3_bucket, s3_region, content_type, status)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8::media_status)
            RETURNING {Columns}
            """,
            NanoId.New(), data.Filename, data.OriginalFilename, data.S3Key, data.S3Bucket, data.S3Region, data.ContentType, status);
        return (await command.ReadFirstOrDefaultAsync(Map, cancellationToken))!;
    }

    public async Task<MediaFile?> GetMediaByFilenameAsync(string filename, CancellationToken cancellationToken = default)
    {
        Guard.Id(filename, nameof(filename));
        await using var command = dataSource.Command($"SELECT {Columns} FROM media WHERE filename = $1", filename);
        return await command.ReadFirstOrDefaultAsync(Map, cancellationToken);
    }

    public async Task<MediaFile?> GetMediaByIdAsync(string id, CancellationToken cancellationToken = default)
    {
        Guard.Id(id, nameof(id));
        await using var command = dataSource.Command($"SELECT {Columns} FROM media WHERE id = $1", id);
        return await command.ReadFirstOrDefaultAsync(Map, cancellationToken);
    }

    /// <returns>False when there is no such media row.</returns>
    public async Task<bool> UpdateMediaStatusAsync(string id, MediaStatus status, CancellationToken cancellationToken = default)
    {
        Guard.Id(id, nameof(id));
        var label = DbEnum<MediaStatus>.ToLabel(status, nameof(status));
        await using var command = dataSource.Command(
            "UPDATE media SET status = $2::media_status, updated_at = now() WHERE id = $1", id, label);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static MediaFile Map(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetNullableString(2), r.GetString(3), r.GetString(4), r.GetNullableString(5),
        r.GetString(6), r.GetEnum<MediaStatus>(7), r.GetFieldValue<DateTimeOffset>(8), r.GetFieldValue<DateTimeOffset>(9));
}
