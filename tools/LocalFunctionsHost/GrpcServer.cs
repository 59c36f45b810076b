using System.Net;
using Grpc.Core;
using LocalFunctionsHost.Rpc;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace LocalFunctionsHost;

/// <summary>
/// The endpoint the worker dials: plain-text HTTP/2 only (the worker's gRPC client uses prior
/// knowledge, no upgrade) on a free loopback port, kept apart from the public HTTP server.
/// </summary>
internal sealed class GrpcServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GrpcServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<GrpcServer> StartAsync(WorkerChannel channel, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var builder = HostBuilding.CreateBuilder(loggerFactory);
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(grpc =>
        {
            // The worker sends with --functions-grpc-max-message-length 2147483647.
            grpc.MaxReceiveMessageSize = null;
            grpc.MaxSendMessageSize = null;
        });
        builder.Services.AddSingleton(channel);

        var app = builder.Build();
        app.MapGrpcService<FunctionRpcService>();
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new GrpcServer(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }

    private sealed class FunctionRpcService(WorkerChannel channel) : FunctionRpc.FunctionRpcBase
    {
        public override Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context) =>
            channel.RunStreamAsync(requestStream, responseStream, context.CancellationToken);
    }
}

/// <summary>What both of the host's web servers share: the host's own log and its own lifetime.</summary>
internal static class HostBuilding
{
    public static WebApplicationBuilder CreateBuilder(ILoggerFactory loggerFactory)
    {
        // No args and the host's own folder as content root: the host's command line and the
        // caller's appsettings.json are not ASP.NET Core configuration.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        // Ctrl+C and SIGTERM belong to Program, which shuts the worker down in order.
        builder.Services.AddSingleton<IHostLifetime, ManualLifetime>();
        return builder;
    }

    private sealed class ManualLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
