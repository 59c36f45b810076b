using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Likeness.Testing;
using LikenessFunctions.Tests.Deployment;

namespace LikenessFunctions.Tests;

/// <summary>
/// The real worker (LikenessFunctions) under the repository's local Functions host, in their own
/// processes, on a free loopback port, with function keys enforced. Settings start from
/// <c>local.settings.sample.json</c>; timers run only when a test invokes them through the host's
/// admin API, unless the test asks for them to run on their schedules.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();
    private readonly string functionKey;

    private AppProcess(Process process, int port, string functionKey, string masterKey)
    {
        this.process = process;
        Port = port;
        MasterKey = masterKey;
        this.functionKey = functionKey;
        Client = CreateClient();
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public const string FunctionKeyHeader = "x-functions-key";

    public int Port { get; }

    /// <summary>Sends the function key with every request; anonymous functions ignore it.</summary>
    public HttpClient Client { get; }

    /// <summary>A client of its own, with the function key, for a test whose connection the server may close.</summary>
    public HttpClient CreateClient()
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Add(FunctionKeyHeader, functionKey);
        return client;
    }

    public string MasterKey { get; }

    /// <summary>What the host and the worker printed, for failure messages.</summary>
    public string Output => string.Join(Environment.NewLine, output);

    /// <summary>The worker's build output, which the host runs as the Functions host would.</summary>
    public static string WorkerDirectory => BuildPath("WorkerDirectory");

    private static readonly JsonNode Sample = JsonNode.Parse(File.ReadAllText(Repository.PathOf("local.settings.sample.json")))!;

    /// <summary>The app's settings as a developer starts with them: the <c>Values</c> of local.settings.sample.json.</summary>
    public static IReadOnlyDictionary<string, string> SampleSettings { get; } =
        Sample["Values"]!.AsObject().ToDictionary(pair => pair.Key, pair => (string?)pair.Value ?? "");

    /// <summary>The browser origins local.settings.sample.json allows (its <c>Host.CORS</c>).</summary>
    public static string SampleCorsOrigins { get; } = (string)Sample["Host"]!["CORS"]!;

    /// <summary>Starts the host and the worker and waits until the app answers HTTP (whatever its health).</summary>
    /// <param name="runTimers">Let the host fire the timers on their schedules, as in production.</param>
    /// <param name="scriptRoot">The worker to run: its build output unless a test published one.</param>
    public static async Task<AppProcess> StartAsync(
        string connectionString, IReadOnlyDictionary<string, string>? settings = null, bool runTimers = false, string? scriptRoot = null)
    {
        var port = FreePort();
        var (functionKey, masterKey) = ("fk-" + Guid.NewGuid().ToString("N"), "mk-" + Guid.NewGuid().ToString("N"));
        var environment = new Dictionary<string, string>(SampleSettings) { ["ConnectionStrings__Likeness"] = connectionString, ["MediaStorage__ConnectionString"] = TestStorage.ConnectionString };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        List<string> args = ["--script-root", scriptRoot ?? WorkerDirectory, "--port", port.ToString(CultureInfo.InvariantCulture), "--function-key", functionKey, "--master-key", masterKey, "--cors", SampleCorsOrigins];
        if (!runTimers)
        {
            args.Add("--no-timers");
        }
        var app = new AppProcess(Start(BuildPath("LocalHostPath"), environment, args), port, functionKey, masterKey);
        await app.WaitUntilAnsweringAsync();
        return app;
    }

    /// <summary>Runs an operations command (<c>migrate</c>, <c>seed ...</c>) of tools/LikenessOps to completion.</summary>
    public static async Task<(int ExitCode, string Output)> RunCommandAsync(string connectionString, params string[] args)
    {
        using var process = Start(
            BuildPath("OpsPath"), new Dictionary<string, string> { ["ConnectionStrings__Likeness"] = connectionString, ["MediaStorage__ConnectionString"] = TestStorage.ConnectionString }, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>
    /// Runs a non-HTTP function now through the host's admin API and waits for it to end.
    /// </summary>
    /// <returns>The invocation's log lines, joined.</returns>
    public async Task<string> InvokeAsync(string function)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/admin/functions/{function}?wait=true") { Content = JsonContent.Create(new { input = "" }) };
        request.Headers.Add(FunctionKeyHeader, MasterKey);
        using var response = await Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, body + Environment.NewLine + Output);
        var outcome = JsonDocument.Parse(body).RootElement;
        Assert.AreEqual("Succeeded", outcome.GetProperty("status").GetString(), body);
        return string.Join(Environment.NewLine, outcome.GetProperty("logs").EnumerateArray().Select(line => line.GetString()));
    }

    /// <summary>SIGKILL of the host and the worker: no shutdown hooks run, as in a crash.</summary>
    public void Kill() => process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }

    private static string BuildPath(string name) =>
        typeof(AppProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == name).Value!;

    private static Process Start(string dll, IReadOnlyDictionary<string, string> environment, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["DOTNET_ENVIRONMENT"] = "Development";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        return Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
    }

    private async Task WaitUntilAnsweringAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The host exited with {process.ExitCode}:{Environment.NewLine}{Output}");
            }
            try
            {
                using var response = await Client.GetAsync("/api/health");
                if (response.StatusCode != HttpStatusCode.NotFound)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The app did not answer within {StartTimeout}:{Environment.NewLine}{Output}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        output.Enqueue(line);
        while (output.Count > 2000 && output.TryDequeue(out _))
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
