using Npgsql;
using NpgsqlTypes;

namespace Likeness.Shared.Data;

/// <summary>Small helpers that keep the access classes to their SQL.</summary>
internal static class Db
{
    /// <summary>A command with positional parameters <c>$1..$n</c>; null becomes SQL NULL.</summary>
    public static NpgsqlCommand Command(this NpgsqlDataSource dataSource, string sql, params object?[] parameters)
    {
        var command = dataSource.CreateCommand(sql);
        AddParameters(command, parameters);
        return command;
    }

    public static NpgsqlBatchCommand BatchCommand(string sql, params object?[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(ToParameter(value));
        }
        return command;
    }

    public static void AddParameters(NpgsqlCommand command, object?[] parameters)
    {
        foreach (var value in parameters)
        {
            command.Parameters.Add(ToParameter(value));
        }
    }

    /// <summary>A JSONB parameter from already-serialized JSON.</summary>
    public static NpgsqlParameter Jsonb(string? json) =>
        new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = (object?)json ?? DBNull.Value };

    /// <summary>A text parameter that is explicitly typed, for SQL that cannot infer it (e.g. a NULL to be cast).</summary>
    public static NpgsqlParameter Text(string? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter ToParameter(object? value) =>
        value as NpgsqlParameter ?? new NpgsqlParameter { Value = value ?? DBNull.Value };

    public static T? GetNullable<T>(this NpgsqlDataReader reader, int ordinal) where T : struct =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<T>(ordinal);

    public static string? GetNullableString(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>Reads an enum column selected as <c>column::text</c>.</summary>
    public static T GetEnum<T>(this NpgsqlDataReader reader, int ordinal) where T : struct, Enum =>
        DbEnum<T>.Parse(reader.GetString(ordinal));

    public static T? GetNullableEnum<T>(this NpgsqlDataReader reader, int ordinal) where T : struct, Enum =>
        reader.IsDBNull(ordinal) ? null : DbEnum<T>.Parse(reader.GetString(ordinal));

    /// <summary>Reads every row with <paramref name="map"/>.</summary>
    public static async Task<List<T>> ReadAllAsync<T>(this NpgsqlCommand command, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(reader));
        }
        return rows;
    }

    /// <summary>Reads the first row with <paramref name="map"/>, or null when there is none.</summary>
    public static async Task<T?> ReadFirstOrDefaultAsync<T>(this NpgsqlCommand command, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken)
        where T : class
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? map(reader) : null;
    }
}
