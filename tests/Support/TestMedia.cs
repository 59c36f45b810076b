using Likeness.Shared.Data;
using Npgsql;

namespace Likeness.Testing;

/// <summary>Media rows as the platform's upload service leaves them; search shows only COMPLETE media.</summary>
public static class TestMedia
{
    /// <summary>The media row of <paramref name="filename"/>, created with <paramref name="status"/> or set to it.</summary>
    public static async Task SetAsync(NpgsqlDataSource dataSource, string filename, MediaStatus status = MediaStatus.Complete)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO media (id, filename, s3_key, s3_bucket, content_type, status)
            VALUES ($1, $2, $2, 'media', 'application/octet-stream', $3::media_status)
            ON CONFLICT (filename) DO UPDATE SET status = EXCLUDED.status
            """);
        command.Parameters.Add(new() { Value = NanoId.New() });
        command.Parameters.Add(new() { Value = filename });
        command.Parameters.Add(new() { Value = DbEnum<MediaStatus>.ToLabel(status) });
        await command.ExecuteNonQueryAsync();
    }
}
