using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace LikenessFunctions.Hosting;

public static class ServerHeaderExtensions
{
    /// <summary>
    /// The worker's Kestrel answers every HTTP function (the Functions host forwards requests to
    /// it and passes its response headers on), and by default it names itself in a
    /// <c>Server: Kestrel</c> header: information for an attacker, nothing for a client.
    /// </summary>
    public static IServiceCollection AddNoServerHeader(this IServiceCollection services) =>
        services.Configure<KestrelServerOptions>(options => options.AddServerHeader = false);
}
