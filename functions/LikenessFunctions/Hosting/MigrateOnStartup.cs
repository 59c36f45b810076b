using Likeness.Shared.Data;
using Microsoft.Extensions.Options;

namespace LikenessFunctions.Hosting;

internal static class MigrateOnStartupExtensions
{
    /// <summary>
    /// Brings the schema up to date before the worker starts, so that it connects to the host
    /// (and takes requests and timer runs) only afterwards; as a hosted service it would race
    /// the worker's own. A failure stops the app: serving against a schema of unknown shape
    /// would corrupt data.
    /// </summary>
    public static async Task MigrateDatabaseIfEnabledAsync(this IHost host, CancellationToken cancellationToken = default)
    {
        if (host.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStartup)
        {
            await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        }
    }
}
