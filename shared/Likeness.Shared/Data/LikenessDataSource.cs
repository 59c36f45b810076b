using Npgsql;

namespace Likeness.Shared.Data;

/// <summary>How every data source of the app is built, so tools and tests talk to the database as the app does.</summary>
public static class LikenessDataSource
{
    /// <summary>
    /// A builder with pgvector's types (<see cref="Pgvector.Vector"/> for <c>vector</c> columns)
    /// and automatic preparation; the caller adds authentication and builds it.
    /// </summary>
    public static NpgsqlDataSourceBuilder CreateBuilder(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UseVector();
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            // Statements run over and over (the queue claim, search pages) are then planned once per
            // connection instead of on every call: it halves the claim's cost.
            builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
        }
        return builder;
    }

    public static NpgsqlDataSource Create(string connectionString) => CreateBuilder(connectionString).Build();
}
