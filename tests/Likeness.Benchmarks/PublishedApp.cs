using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Likeness.Benchmarks;

/// <summary>
/// An app published with <c>dotnet publish -c Release</c> into a temporary folder, started on a
/// free loopback port: a plain ASP.NET Core app as <c>dotnet App.dll</c>; a Functions isolated
/// worker under the repository's local Functions host, which launches the worker itself.
/// </summary>
internal sealed class PublishedApp
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(10);

    private readonly PublishedApp? host;

    private PublishedApp(string dll, PublishedApp? host)
    {
        Dll = dll;
        this.host = host;
    }

    public string Dll { get; }

    /// <summary>This app as a worker started by <paramref name="localHost"/> (a published <c>LocalFunctionsHost</c>).</summary>
    public PublishedApp UnderHost(PublishedApp localHost) => new(Dll, localHost);

    /// <summary>Publishes <paramref name="project"/> with the arguments given, outside the repository's bin and obj.</summary>
    public static async Task<PublishedApp> PublishAsync(string project, string workDirectory, string name, IReadOnlyList<string> extraArguments, CancellationToken cancellationToken)
    {
        var output = Path.Combine(workDirectory, name);
        var (exitCode, log) = await RunAsync(
            "dotnet",
            ["publish", project, "-c", "Release", "-o", output, "--artifacts-path", Path.Combine(workDirectory, name + "-artifacts"), .. extraArguments],
            PublishTimeout,
            cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish {project} failed with {exitCode}:{Environment.NewLine}{log}");
        }
        var dll = Directory.GetFiles(output, "*.runtimeconfig.json").Single().Replace(".runtimeconfig.json", ".dll", StringComparison.Ordinal);
        return new PublishedApp(dll, null);
    }

    /// <summary>The local Functions host (<c>tools/LocalFunctionsHost</c>), published like the apps it runs.</summary>
    public static Task<PublishedApp> PublishHostAsync(string repository, string workDirectory, CancellationToken cancellationToken) =>
        PublishAsync(Path.Combine(repository, "tools", "LocalFunctionsHost"), workDirectory, "host", [], cancellationToken);

    /// <summary>
    /// A minimal ASP.NET Core app with the same publish settings as the function app
    /// (framework-dependent, ReadyToRun, linux-x64, invariant globalization), written into
    /// <paramref name="workDirectory"/> at run time: the baseline of the start time and of the
    /// host's cost per request, for which it serves the file named by the <c>OpenApiDocument</c>
    /// setting as the function app serves its document.
    /// </summary>
    public static async Task<PublishedApp> PublishBareAsync(string workDirectory, CancellationToken cancellationToken)
    {
        var source = Path.Combine(workDirectory, "bare-src");
        Directory.CreateDirectory(source);
        await File.WriteAllTextAsync(Path.Combine(source, "BareApp.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <InvariantGlobalization>true</InvariantGlobalization>
              </PropertyGroup>
            </Project>
            """, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(source, "Program.cs"), """
            var app = WebApplication.CreateBuilder(args).Build();
            var document = app.Configuration["OpenApiDocument"] is { } path ? File.ReadAllText(path) : "{}";
            app.MapGet("/api/health", () => Results.Ok(new { status = "ok" }));
            app.MapGet("/api/openapi.json", () => Results.Text(document, "application/json"));
            app.Run();
            """, cancellationToken);
        return await PublishAsync(source, workDirectory, "bare", ["-r", "linux-x64", "--self-contained", "false", "-p:PublishReadyToRun=true", "-p:UseAppHost=false"], cancellationToken);
    }

    /// <summary>Starts the app on a free port and waits for <c>GET /api/health</c> to answer 200.</summary>
    public async Task<RunningApp> StartAsync(IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var app = Start(environment);
        try
        {
            await app.WaitUntilHealthyAsync(cancellationToken);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the app without waiting; the caller times how long it takes to be healthy.</summary>
    public RunningApp Start(IReadOnlyDictionary<string, string> environment)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(Dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (host is null)
        {
            info.ArgumentList.Add(Dll);
            info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        }
        else
        {
            // No keys (none given) and no timers: the benchmarks measure requests, not the indexer.
            // The host reads local.settings.json from its working directory, the publish folder,
            // which has none: the worker's settings are the environment below and nothing else.
            foreach (var argument in new[] { host.Dll, "--script-root", info.WorkingDirectory, "--port", port.ToString(CultureInfo.InvariantCulture), "--no-timers" })
            {
                info.ArgumentList.Add(argument);
            }
            // The host defaults to Development, as func start does; Azure runs the app as Production.
            info.Environment["AZURE_FUNCTIONS_ENVIRONMENT"] = "Production";
        }
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        var clock = Stopwatch.StartNew();
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        return new RunningApp(process, port, clock);
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A started app process (for a worker: the local host, which runs the worker); disposing kills it.</summary>
internal sealed class RunningApp : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private const string WorkerHttpLine = "[host] Worker HTTP at ";
    private const string HostReadyLine = "[host] Host ready on ";
    private readonly Process process;
    private readonly Stopwatch sinceStart;
    private readonly ConcurrentQueue<string> output = new();
    private readonly TaskCompletionSource<Uri> workerAddress = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<TimeSpan> readyAfter = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RunningApp(Process process, int port, Stopwatch sinceStart)
    {
        this.process = process;
        this.sinceStart = sinceStart;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    /// <summary>Under the local host: the worker's own Kestrel address, as the host prints it.</summary>
    public Task<Uri> WorkerAddress => workerAddress.Task;

    /// <summary>Under the local host: process start to its "Host ready" line (functions loaded, port open).</summary>
    public Task<TimeSpan> ReadyAfter => readyAfter.Task;

    /// <summary>Polls <c>/api/health</c> every few milliseconds; returns the time from process start to the first 200.</summary>
    public async Task<TimeSpan> WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(1) }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        while (sinceStart.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.StartInfo.ArgumentList[0]} exited with {process.ExitCode}:{Environment.NewLine}{Output}");
            }
            try
            {
                using var response = await client.GetAsync(new Uri("/api/health", UriKind.Relative), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return sinceStart.Elapsed;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(5, cancellationToken);
        }
        throw new TimeoutException($"The app was not healthy within {StartTimeout}:{Environment.NewLine}{Output}");
    }

    public string Output => string.Join(Environment.NewLine, output);

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        if (line.StartsWith(HostReadyLine, StringComparison.Ordinal))
        {
            readyAfter.TrySetResult(sinceStart.Elapsed);
        }
        else if (line.StartsWith(WorkerHttpLine, StringComparison.Ordinal))
        {
            workerAddress.TrySetResult(new Uri(line[WorkerHttpLine.Length..].Trim()));
        }
        output.Enqueue(line);
        while (output.Count > 200 && output.TryDequeue(out _))
        {
        }
    }
}
