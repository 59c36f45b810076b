using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing.Patterns;

namespace LocalFunctionsHost;

/// <summary>
/// The app's public HTTP address, 127.0.0.1:port: one ASP.NET Core route per HTTP function
/// (so unknown paths get routing's plain 404 and wrong methods its plain 405), the admin API,
/// and one log line per request.
/// </summary>
internal sealed class PublicServer : IAsyncDisposable
{
    // The Functions host's default request size limit (FUNCTIONS_REQUEST_BODY_SIZE_LIMIT).
    private const long MaxRequestBodyBytes = 100L * 1024 * 1024;

    private readonly WebApplication _app;

    private PublicServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <param name="corsOrigins">Origins whose browser calls are allowed (preflight answered, no credentials); none allows no cross-origin call.</param>
    public static async Task<PublicServer> StartAsync(
        int port, FunctionRegistry registry, IReadOnlyList<string> corsOrigins, Action<IServiceCollection> services, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var builder = HostBuilding.CreateBuilder(loggerFactory);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            // Loopback only, keys or not: this host is for a developer's machine and tests, never a network.
            kestrel.Listen(IPAddress.Loopback, port);
        });
        builder.Services.AddSingleton(registry);
        builder.Services.AddSingleton<HttpForwarder>();
        // As the Functions host's CORS: any method and header from the listed origins, never credentials.
        builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => policy.WithOrigins([.. corsOrigins]).AllowAnyMethod().AllowAnyHeader()));
        services(builder.Services);

        var app = builder.Build();
        var requestLog = loggerFactory.CreateLogger("http");
        var redactor = app.Services.GetRequiredService<Redactor>();
        app.Use((context, next) => LogRequestAsync(context, next, requestLog, redactor));
        // Before routing, so that a preflight is answered for every route whatever methods its function takes.
        app.UseCors();
        app.UseRouting();
        app.MapAdminApi();
        var forwarder = app.Services.GetRequiredService<HttpForwarder>();
        var log = loggerFactory.CreateLogger("host");
        foreach (var function in registry.Functions.Where(f => f.Http is not null))
        {
            var route = registry.RouteOf(function.Http!);
            if (!IsValidRoute(route, out var error))
            {
                // One bad template would otherwise break routing for every function.
                log.LogError("{Function} not served: its route '{Route}' is not valid: {Error}", function.Name, route, error);
                continue;
            }

            var endpoint = function.Http!.Methods.Count == 0
                ? app.Map(route, context => forwarder.ForwardAsync(context, function))
                : app.MapMethods(route, function.Http.Methods, context => forwarder.ForwardAsync(context, function));
            endpoint.WithDisplayName(function.Name);
        }

        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new PublicServer(app, new Uri(address));
    }

    /// <summary>Stops taking requests and lets running ones finish, for up to the given time.</summary>
    public async Task StopAsync(TimeSpan drain)
    {
        using var timeout = new CancellationTokenSource(drain);
        await _app.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static bool IsValidRoute(string route, out string? error)
    {
        try
        {
            RoutePatternFactory.Parse(route);
            error = null;
            return true;
        }
        catch (RoutePatternException invalid)
        {
            error = invalid.Message;
            return false;
        }
    }

    // Query values may hold keys and users' text; the line shows the query with those values masked.
    private static async Task LogRequestAsync(HttpContext context, RequestDelegate next, ILogger log, Redactor redactor)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            log.LogInformation("{Method} {Path}{Query} {Status} {ElapsedMs} ms",
                context.Request.Method, context.Request.Path.ToUriComponent(), redactor.RedactQuery(context.Request.QueryString),
                context.RequestAborted.IsCancellationRequested ? "aborted" : context.Response.StatusCode,
                (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}
