using System.Globalization;
using Likeness.Shared.Data;

namespace LikenessFunctions.Hosting;

public static class HostingExtensions
{
    /// <summary>Set by the Azure Functions host on the custom handler it starts.</summary>
    public const string CustomHandlerPortSetting = "FUNCTIONS_CUSTOMHANDLER_PORT";
    public const string StandaloneUrl = "http://127.0.0.1:7071";

    /// <summary>
    /// Under the Functions host, listen on the port it chose; standalone, on the port the
    /// Functions tooling uses locally, unless <c>--urls</c>/<c>ASPNETCORE_URLS</c> says otherwise.
    /// </summary>
    public static WebApplicationBuilder ListenWhereTheFunctionsHostExpects(this WebApplicationBuilder builder)
    {
        if (builder.Configuration[CustomHandlerPortSetting] is { Length: > 0 } port)
        {
            if (!ushort.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number == 0)
            {
                throw new InvalidOperationException($"{CustomHandlerPortSetting} must be a TCP port number, not '{port}'.");
            }
            builder.WebHost.UseUrls($"http://127.0.0.1:{number}");
        }
        else if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(StandaloneUrl);
        }
        return builder;
    }

    public static IServiceCollection AddLikenessJson(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(options => LikenessJson.Configure(options.SerializerOptions));

    public static bool IsUnderFunctionsHost(this IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration[CustomHandlerPortSetting]);
}
