using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Likeness.Shared.Indexing;

public static class IndexingServiceCollectionExtensions
{
    /// <summary>The pipeline and the queue's timers. Needs the database, the media library and providers registered.</summary>
    public static IServiceCollection AddLikenessIndexing(this IServiceCollection services)
    {
        services.AddOptions<IndexingOptions>().BindConfiguration(IndexingOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AssetTagger>();
        services.AddSingleton<IndexCommitter>();
        services.AddSingleton<IAccountIndexer, AccountIndexer>();
        services.AddSingleton<IndexingQueueProcessor>();
        services.AddSingleton<QueueMaintenance>();
        return services;
    }
}
