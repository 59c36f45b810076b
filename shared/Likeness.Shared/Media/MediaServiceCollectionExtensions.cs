using Microsoft.Extensions.DependencyInjection;

namespace Likeness.Shared.Media;

public static class MediaServiceCollectionExtensions
{
    /// <summary>Media files by their public filename. Needs the database and blob storage registered.</summary>
    public static IServiceCollection AddMediaLibrary(this IServiceCollection services) => services.AddSingleton<MediaLibrary>();
}
