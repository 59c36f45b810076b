using System.Diagnostics;
using Likeness.Shared.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Likeness.Testing;

/// <summary>
/// A private, fully migrated database on the local PostgreSQL cluster
/// (<c>infra/local/dev.sh up</c>). The first call migrates a template; every instance is a
/// cheap clone of it, so each test class (or test) owns its data and can be dropped whole.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private const string DefaultServer = "Host=127.0.0.1;Port=54329;Username=postgres;Database=likeness";
    private static readonly string Prefix = $"lt_{Environment.ProcessId}_";
    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private static string? template;
    private static int counter;

    private TestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
        DataSource = LikenessDataSource.Create(connectionString);
    }

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>Built as the app builds its own (<see cref="LikenessDataSource"/>), pgvector's types included.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>The local cluster, from <c>ConnectionStrings__Likeness</c> when set.</summary>
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("ConnectionStrings__Likeness") is { Length: > 0 } value ? value : DefaultServer;

    public static async Task<TestDatabase> CreateAsync(CancellationToken cancellationToken = default)
    {
        var source = await EnsureTemplateAsync(cancellationToken);
        var name = Prefix + Interlocked.Increment(ref counter);
        await AdminAsync($"CREATE DATABASE {name} TEMPLATE {source}", cancellationToken);
        return new TestDatabase(name, ConnectionStringFor(name));
    }

    /// <summary>A database with nothing in it, for testing the migrations themselves.</summary>
    public static async Task<TestDatabase> CreateEmptyAsync(CancellationToken cancellationToken = default)
    {
        var name = Prefix + Interlocked.Increment(ref counter);
        await AdminAsync($"CREATE DATABASE {name}", cancellationToken);
        return new TestDatabase(name, ConnectionStringFor(name));
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await AdminAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", CancellationToken.None);
    }

    /// <summary>
    /// Executes SQL in this database, for assertions on state the access functions do not expose.
    /// A lone array argument binds as the parameter list itself: pass it as <c>(object)array</c>.
    /// </summary>
    public async Task<object?> ScalarAsync(string sql, params object?[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }
        return await command.ExecuteScalarAsync();
    }

    public static async Task DropTemplateAsync()
    {
        if (template is not null)
        {
            await AdminAsync($"DROP DATABASE IF EXISTS {template} WITH (FORCE)", CancellationToken.None);
        }
    }

    private static async Task<string> EnsureTemplateAsync(CancellationToken cancellationToken)
    {
        await TemplateLock.WaitAsync(cancellationToken);
        try
        {
            if (template is not null)
            {
                return template;
            }
            await DropLeftoversOfDeadRunsAsync(cancellationToken);
            var name = Prefix + "template";
            await AdminAsync($"CREATE DATABASE {name}", cancellationToken);
            await using (var dataSource = LikenessDataSource.Create(ConnectionStringFor(name)))
            {
                await new DatabaseMigrator(dataSource, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(cancellationToken);
            }
            // CREATE DATABASE ... TEMPLATE refuses while anyone is connected to the template.
            NpgsqlConnection.ClearAllPools();
            return template = name;
        }
        finally
        {
            TemplateLock.Release();
        }
    }

    private static async Task DropLeftoversOfDeadRunsAsync(CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(ServerConnectionString);
        await using var command = dataSource.CreateCommand("SELECT datname FROM pg_database WHERE datname LIKE 'lt\\_%'");
        var names = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                names.Add(reader.GetString(0));
            }
        }
        foreach (var name in names)
        {
            if (int.TryParse(name.Split('_')[1], out var pid) && !IsAlive(pid))
            {
                await AdminAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", cancellationToken);
            }
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            return !Process.GetProcessById(pid).HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = database }.ConnectionString;

    // Database names are generated here, never user input: DDL cannot take parameters.
    private static async Task AdminAsync(string sql, CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(ServerConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
