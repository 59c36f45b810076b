using Likeness.Shared.Data;
using Microsoft.Extensions.Options;

namespace LikenessFunctions.Hosting;

/// <summary>
/// Brings the schema up to date before the server accepts requests. A failure stops the
/// app: serving against a schema of unknown shape would corrupt data.
/// </summary>
internal sealed class MigrateOnStartup(DatabaseMigrator migrator, IOptions<DatabaseOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MigrateOnStartup)
        {
            await migrator.MigrateAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal static class MigrateOnStartupExtensions
{
    public static IServiceCollection AddMigrationOnStartup(this IServiceCollection services) =>
        services.AddHostedService<MigrateOnStartup>();
}
