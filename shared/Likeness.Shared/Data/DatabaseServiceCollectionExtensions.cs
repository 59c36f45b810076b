using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Likeness.Shared.Data;

public static class DatabaseServiceCollectionExtensions
{
    public const string ConnectionStringName = "Likeness";

    /// <summary>One <see cref="Npgsql.NpgsqlDataSource"/> for the app, the migrator and every access class.</summary>
    public static IServiceCollection AddLikenessDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName);
        services.AddSingleton(provider =>
        {
            var connectionString = configuration.GetConnectionString(ConnectionStringName)
                ?? throw new InvalidOperationException($"Set ConnectionStrings__{ConnectionStringName} to the PostgreSQL connection string.");
            var options = provider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var builder = LikenessDataSource.CreateBuilder(connectionString);
            if (options.UseEntraAuthentication)
            {
                builder.UseEntraAuthentication(options.ManagedIdentityClientId);
            }
            return builder.Build();
        });
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton<AccountsAccess>();
        services.AddSingleton<IpTermsAccess>();
        services.AddSingleton<LikenessAssetsAccess>();
        services.AddSingleton<LikenessSearchAccess>();
        services.AddSingleton<LikenessSearchVectorAccess>();
        services.AddSingleton<LikenessNeedIndexingQueueAccess>();
        services.AddSingleton<AccountSocialLinksAccess>();
        services.AddSingleton<ScrapesAccess>();
        services.AddSingleton<ElevenLabsAccess>();
        services.AddSingleton<MediaAccess>();
        return services;
    }
}
