using System.Net.Sockets;
using LocalFunctionsHost.Rpc;

namespace LocalFunctionsHost;

/// <summary>A worker that started but could not be initialised or could not load its functions.</summary>
internal sealed class WorkerStartupException(string message) : Exception(message);

/// <summary>The start-up conversation: init, metadata, one load per function.</summary>
internal static class WorkerStartup
{
    public const string HostVersion = "4.1000.0-local";

    public static async Task<FunctionRegistry> LoadFunctionsAsync(WorkerChannel channel, string scriptRoot, ILogger log, CancellationToken cancellationToken)
    {
        var workerId = await channel.Connected.WaitAsync(cancellationToken);
        log.LogInformation("Worker connected (worker id {WorkerId})", workerId);

        var init = await channel.RequestAsync(new StreamingMessage
        {
            WorkerInitRequest = new WorkerInitRequest
            {
                HostVersion = HostVersion,
                WorkerDirectory = scriptRoot,
                FunctionAppDirectory = scriptRoot,
            },
        }, cancellationToken);
        EnsureSuccess(init.WorkerInitResponse?.Result, "initialise");
        Uri? httpUri = null;
        if (init.WorkerInitResponse!.Capabilities.TryGetValue("HttpUri", out var advertised))
        {
            // The worker's Kestrel listens on "localhost", which covers 127.0.0.1; say so to skip name resolution.
            var uri = new UriBuilder(advertised);
            if (uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            {
                uri.Host = "127.0.0.1";
            }

            httpUri = uri.Uri;
        }

        var metadata = await channel.RequestAsync(new StreamingMessage
        {
            FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = scriptRoot },
        }, cancellationToken);
        var listing = metadata.FunctionMetadataResponse;
        EnsureSuccess(listing?.Result, "list its functions");
        if (listing!.UseDefaultMetadataIndexing)
        {
            throw new WorkerStartupException("The worker asks the host to index functions.metadata itself; this host needs worker indexing (Worker.Sdk's default).");
        }

        var loads = listing.FunctionMetadataResults.Select(async function =>
        {
            var answer = await channel.RequestAsync(new StreamingMessage
            {
                FunctionLoadRequest = new FunctionLoadRequest { FunctionId = function.FunctionId, Metadata = function },
            }, cancellationToken);
            var result = answer.FunctionLoadResponse?.Result;
            if (result?.Status != StatusResult.Types.Status.Success)
            {
                log.LogError("Function {Function} failed to load: {Error}", function.Name, result?.Exception?.Message ?? "no answer");
                return null;
            }

            return FunctionInfo.FromMetadata(function);
        });
        var loaded = (await Task.WhenAll(loads)).OfType<FunctionInfo>().OrderBy(f => f.Name, StringComparer.Ordinal).ToList();

        if (httpUri is null && loaded.Any(f => f.Http is not null))
        {
            log.LogWarning("The worker did not advertise HttpUri (no ASP.NET Core integration?); its HTTP functions cannot be served");
        }

        if (httpUri is not null)
        {
            await WaitUntilListeningAsync(httpUri, cancellationToken);
        }

        return new FunctionRegistry(loaded, httpUri, FunctionRegistry.ReadRoutePrefix(scriptRoot));
    }

    /// <summary>
    /// The worker advertises its HTTP address before its Kestrel necessarily listens there (on a
    /// busy machine, well after its functions load); serving before then answers requests 502.
    /// </summary>
    private static async Task WaitUntilListeningAsync(Uri address, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var probe = new TcpClient();
            try
            {
                await probe.ConnectAsync(address.Host, address.Port, cancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
            }
        }
    }

    private static void EnsureSuccess(StatusResult? result, string step)
    {
        if (result?.Status != StatusResult.Types.Status.Success)
        {
            throw new WorkerStartupException($"The worker failed to {step}: {result?.Exception?.Message ?? "unexpected answer"}");
        }
    }
}
