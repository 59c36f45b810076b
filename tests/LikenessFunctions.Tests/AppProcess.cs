using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LikenessFunctions.Tests;

/// <summary>
/// The real app (LikenessFunctions.dll) in its own process, on a free loopback port given
/// the way the Functions host gives it: <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private AppProcess(Process process, int port)
    {
        this.process = process;
        Port = port;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    public HttpClient Client { get; }

    /// <summary>What the app printed, for failure messages.</summary>
    public string Output => string.Join(Environment.NewLine, output);

    /// <summary>Starts the app and waits until it answers HTTP (whatever its health).</summary>
    /// <param name="standalone">Run as without a Functions host (given <c>ASPNETCORE_URLS</c>, not the host's port), so it schedules its own timers.</param>
    public static async Task<AppProcess> StartAsync(string connectionString, IReadOnlyDictionary<string, string>? settings = null, bool standalone = false)
    {
        var port = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var environment = new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
        {
            ["ConnectionStrings__Likeness"] = connectionString,
            [standalone ? "ASPNETCORE_URLS" : "FUNCTIONS_CUSTOMHANDLER_PORT"] = standalone ? $"http://127.0.0.1:{port}" : port,
        };
        var app = new AppProcess(Start(environment), int.Parse(port, System.Globalization.CultureInfo.InvariantCulture));
        await app.WaitUntilAnsweringAsync();
        return app;
    }

    /// <summary>Runs a one-shot command (<c>migrate</c>, ...) to completion.</summary>
    public static async Task<(int ExitCode, string Output)> RunCommandAsync(string connectionString, params string[] args)
    {
        using var process = Start(new Dictionary<string, string> { ["ConnectionStrings__Likeness"] = connectionString }, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>SIGKILL: no shutdown hooks run, as in a crash.</summary>
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

    private static Process Start(Dictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "LikenessFunctions.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        info.Environment["MediaStorage__ConnectionString"] = "UseDevelopmentStorage=true";
        // Tests invoke timers as the Functions host would (POST /{FunctionName}), when they choose.
        info.Environment["Timers__RunStandalone"] = "false";
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
                throw new InvalidOperationException($"The app exited with {process.ExitCode}:{Environment.NewLine}{Output}");
            }
            try
            {
                using var response = await Client.GetAsync("/api/health");
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
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
        while (output.Count > 500 && output.TryDequeue(out _))
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
