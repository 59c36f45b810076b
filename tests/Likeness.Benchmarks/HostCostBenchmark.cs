using System.Net;

namespace Likeness.Benchmarks;

/// <summary>
/// What the local Functions host adds to a request: one cheap request measured (a) through the
/// host and the worker, (b) straight to the worker's own Kestrel and (c) against a bare ASP.NET
/// Core app answering the same bytes, at 1 and 8 clients.
/// </summary>
/// <remarks>
/// With the ASP.NET Core integration the worker runs a function only when the host's
/// InvocationRequest (gRPC) and the forwarded request (with the invocation's
/// <c>x-ms-invocation-id</c> header) meet in its <c>DefaultHttpCoordinator</c>. Without the
/// header its <c>WorkerRequestServicesMiddleware</c> throws at once, after forwarded headers and
/// routing, and Kestrel answers 500 with no body; with a header but no invocation it waits 5 s
/// for one. So (b) is the request without the header: the worker's HTTP stack up to the point
/// where it needs the host, the function not run.
/// </remarks>
internal static class HostCostBenchmark
{
    public static readonly int[] Concurrency = [1, 8];

    /// <summary>Built once by the function and kept in memory: no PostgreSQL or blob storage on the path.</summary>
    public const string Path = "/api/openapi.json";

    /// <summary>
    /// Every request to (b) would otherwise log the exception with its stack trace, sent over gRPC
    /// to the host, which prints it; (a) never throws, so silencing it changes nothing there.
    /// </summary>
    public const string QuietKestrel = "Logging__LogLevel__Microsoft.AspNetCore.Server.Kestrel";

    public const string ThroughHost = "(a) through the local host and the worker";
    public const string ToWorker = "(b) straight to the worker's Kestrel, no invocation";
    public const string Bare = "(c) bare ASP.NET Core app";

    private static readonly TimeSpan AddressWait = TimeSpan.FromSeconds(10);

    public static async Task<HostCostReport> RunAsync(
        PublishedApp app, PublishedApp bare, IReadOnlyDictionary<string, string> appEnvironment, string workDirectory,
        LoadSettings settings, CancellationToken cancellationToken)
    {
        await using var running = await app.StartAsync(new Dictionary<string, string>(appEnvironment) { [QuietKestrel] = "None" }, cancellationToken);
        var workerAddress = await running.WorkerAddress.WaitAsync(AddressWait, cancellationToken);
        using var viaHost = SearchBenchmark.CreateClient(running.BaseAddress);
        // Also the first call, which builds the document the function then keeps.
        var document = await viaHost.GetStringAsync(new Uri(Path, UriKind.Relative), cancellationToken);
        var documentFile = System.IO.Path.Combine(workDirectory, "openapi.json");
        await File.WriteAllTextAsync(documentFile, document, cancellationToken);
        await using var runningBare = await bare.StartAsync(new Dictionary<string, string> { ["OpenApiDocument"] = documentFile }, cancellationToken);
        using var toWorker = SearchBenchmark.CreateClient(workerAddress);
        using var toBare = SearchBenchmark.CreateClient(runningBare.BaseAddress);

        var targets = new (string Name, HttpClient Client, HttpStatusCode Status)[]
        {
            (ThroughHost, viaHost, HttpStatusCode.OK),
            (ToWorker, toWorker, HttpStatusCode.InternalServerError),
            (Bare, toBare, HttpStatusCode.OK),
        };
        var answers = new List<string>();
        foreach (var (name, client, status) in targets)
        {
            answers.Add(await CheckAnswerAsync(name, client, status, document, cancellationToken));
        }

        var levels = targets.Select(_ => new List<LatencyStats>()).ToList();
        foreach (var clients in Concurrency)
        {
            // Target after target at each concurrency, so a slow moment of the machine is not all one target's.
            for (var i = 0; i < targets.Length; i++)
            {
                var (name, client, status) = targets[i];
                var stats = await LoadTest.RunAsync(clients, settings, (_, token) => GetAsync(client, status, token), cancellationToken);
                Console.WriteLine($"  host cost: {name}, {clients} client(s): p50 {stats.P50:0.00} ms, p95 {stats.P95:0.00} ms, {stats.Throughput:0} req/s");
                levels[i].Add(stats);
            }
        }
        return new HostCostReport(Path, System.Text.Encoding.UTF8.GetByteCount(document),
            [.. targets.Select((t, i) => new HostCostRow(t.Name, answers[i], levels[i]))]);
    }

    /// <summary>Fails the run if a target does not answer as the report says it does.</summary>
    private static async Task<string> CheckAnswerAsync(string name, HttpClient client, HttpStatusCode status, string document, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(new Uri(Path, UriKind.Relative), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var expectedBody = status == HttpStatusCode.OK ? document : "";
        if (response.StatusCode != status || body != expectedBody)
        {
            throw new InvalidOperationException($"{name}: expected {(int)status} with {expectedBody.Length} characters of body, got {(int)response.StatusCode} with {body.Length}.");
        }
        return status == HttpStatusCode.OK
            ? $"200, {response.Content.Headers.ContentType?.MediaType}, {System.Text.Encoding.UTF8.GetByteCount(body):N0} bytes"
            : $"{(int)status}, no body";
    }

    private static async Task<bool> GetAsync(HttpClient client, HttpStatusCode status, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(new Uri(Path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await response.Content.CopyToAsync(Stream.Null, cancellationToken);
        return response.StatusCode == status;
    }
}

/// <param name="Answer">Status, type and size of the answer, as checked before measuring.</param>
/// <param name="Levels">One per <see cref="HostCostBenchmark.Concurrency"/>.</param>
internal sealed record HostCostRow(string Target, string Answer, IReadOnlyList<LatencyStats> Levels);

internal sealed record HostCostReport(string Path, int DocumentBytes, IReadOnlyList<HostCostRow> Rows);
