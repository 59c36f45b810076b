using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Likeness.Shared.Data;

public static class DatabaseServiceCollectionExtensions
{
    public const string ConnectionStringName = "Likeness";

    /// <summary>One <see cref="NpgsqlDataSource"/> for the app, the migrator and every access class.</summary>
    public static IServiceCollection AddLikenessDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName);
        services.AddSingleton(provider =>
        {
            var connectionString = configuration.GetConnectionString(ConnectionStringName)
                ?? throw new InvalidOperationException($"Set ConnectionStrings__{ConnectionStringName} to the PostgreSQL connection string.");
            var options = provider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var builder = new NpgsqlDataSourceBuilder(connectionString);
            if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
            {
                // Statements run over and over (the queue claim, search pages) are then planned once per
                // connection instead of on every call: it halves the claim's cost.
                builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
            }
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
