using System.Globalization;
using System.Runtime.InteropServices;
using Npgsql;

namespace Likeness.Benchmarks;

/// <summary>The machine and the versions a report was measured with.</summary>
internal sealed record MachineInfo(IReadOnlyList<(string Name, string Value)> Rows)
{
    public static async Task<MachineInfo> CollectAsync(string repository, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        var rows = new List<(string, string)>
        {
            ("CPU", CpuModel()),
            ("cores (nproc)", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)),
            ("memory", MemoryTotal()),
            // Other work on the machine shares the cores with every measurement.
            ("load average (1 / 5 / 15 min) when the first catalogue was loaded", LoadAverage()),
            ("OS", RuntimeInformation.OSDescription),
            (".NET SDK", (await PublishedApp.RunAsync("dotnet", ["--version"], TimeSpan.FromMinutes(1), cancellationToken)).Output.Trim()),
            (".NET runtime", RuntimeInformation.FrameworkDescription),
            ("Npgsql", typeof(NpgsqlConnection).Assembly.GetName().Version?.ToString(3) ?? "?"),
        };
        await using (var command = database.CreateCommand("""
            SELECT 'PostgreSQL', version()
            UNION ALL SELECT 'pgvector', extversion FROM pg_extension WHERE extname = 'vector'
            UNION ALL SELECT 'PostgreSQL ' || name, current_setting(name) FROM pg_settings
              WHERE name IN ('shared_buffers', 'work_mem', 'max_parallel_workers_per_gather', 'max_parallel_maintenance_workers', 'synchronous_commit', 'max_connections')
            """))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetString(0), reader.GetString(1)));
            }
        }
        rows.Add(("PostgreSQL maintenance_work_mem for the bulk index builds", "2GB (set by the loader for its session)"));
        var azurite = Path.Combine(repository, ".local", "node_modules", "azurite", "package.json");
        if (File.Exists(azurite))
        {
            using var json = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(azurite, cancellationToken));
            rows.Add(("Azurite", json.RootElement.GetProperty("version").GetString() ?? "?"));
        }
        return new MachineInfo(rows);
    }

    private static string CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
            : RuntimeInformation.ProcessArchitecture.ToString();

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static string MemoryTotal()
    {
        var line = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal", StringComparison.Ordinal)) : null;
        return line is not null && long.TryParse(line.Split(':', 2)[1].Replace("kB", "", StringComparison.Ordinal).Trim(), out var kb)
            ? $"{kb / 1024.0 / 1024.0:0.0} GiB"
            : "?";
    }
}
