using System.Diagnostics;

namespace LocalFunctionsHost;

/// <summary>The "Functions loaded" block: what the worker offers and where.</summary>
internal static class FunctionListing
{
    public static void Write(ILogger log, FunctionRegistry registry, Uri address, int processId)
    {
        var root = address.ToString().TrimEnd('/');
        using var self = Process.GetProcessById(processId);
        log.LogInformation("Functions loaded: {Count} ({ElapsedMs} ms after host start)",
            registry.Functions.Count, (long)(DateTime.Now - self.StartTime).TotalMilliseconds);
        foreach (var function in registry.Functions)
        {
            if (function.Http is { } http)
            {
                var methods = http.Methods.Count == 0 ? "ANY" : string.Join(",", http.Methods);
                log.LogInformation("  {Function}: [{Methods}] {Root}/{Route} (authLevel {AuthLevel})",
                    function.Name, methods, root, registry.RouteOf(http), http.AuthLevel.ToString().ToLowerInvariant());
            }
            else
            {
                log.LogInformation("  {Function}: {Trigger} {Schedule}", function.Name, function.TriggerType, function.Schedule);
            }
        }

        // Tools that compare the host with the worker's own Kestrel (the benchmarks) read it here.
        if (registry.WorkerHttpUri is { } worker)
        {
            log.LogInformation("Worker HTTP at {Address}", worker.ToString().TrimEnd('/'));
        }
    }
}
