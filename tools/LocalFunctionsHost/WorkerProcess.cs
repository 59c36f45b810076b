using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using LocalFunctionsHost.Rpc;

namespace LocalFunctionsHost;

/// <summary>How the Functions host starts a worker: worker.config.json, the launch switches, the environment.</summary>
internal sealed record WorkerLaunch(string FileName, IReadOnlyList<string> Arguments, string WorkingDirectory, IReadOnlyDictionary<string, string> Environment)
{
    public static WorkerLaunch Create(string scriptRoot, Uri grpcAddress, AppSettings settings)
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(scriptRoot, "worker.config.json")));
        var description = config.RootElement.GetProperty("description");
        var executable = description.TryGetProperty("defaultExecutablePath", out var path) ? path.GetString() : null;
        var workerPath = description.TryGetProperty("defaultWorkerPath", out var worker) ? worker.GetString() : null;
        if (string.IsNullOrEmpty(executable) || string.IsNullOrEmpty(workerPath))
        {
            throw new InvalidOperationException("worker.config.json has no description.defaultExecutablePath or defaultWorkerPath.");
        }

        var workerId = Guid.NewGuid().ToString();
        var requestId = Guid.NewGuid().ToString();
        var port = grpcAddress.Port.ToString(CultureInfo.InvariantCulture);
        const string MaxMessageLength = "2147483647";
        string[] arguments =
        [
            workerPath,
            // Worker 1.x reads these four; 2.x reads the --functions-* ones.
            "--host", grpcAddress.Host, "--port", port, "--workerId", workerId, "--requestId", requestId,
            "--grpcMaxMessageLength", MaxMessageLength,
            "--functions-uri", grpcAddress.ToString(), "--functions-worker-id", workerId,
            "--functions-request-id", requestId, "--functions-grpc-max-message-length", MaxMessageLength,
        ];

        var environment = new Dictionary<string, string>(settings.ForWorker, StringComparer.Ordinal)
        {
            ["FUNCTIONS_WORKER_DIRECTORY"] = scriptRoot,
            ["FUNCTIONS_APPLICATION_DIRECTORY"] = scriptRoot,
            ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
        };
        environment.TryAdd("AZURE_FUNCTIONS_ENVIRONMENT", settings.Get("AZURE_FUNCTIONS_ENVIRONMENT") ?? "Development");

        return new WorkerLaunch(ResolveExecutable(executable), arguments, scriptRoot, environment);
    }

    // "dotnet" means the muxer; when the host itself runs under one, use that same one.
    private static string ResolveExecutable(string executable) =>
        executable == "dotnet" && System.Environment.ProcessPath is { } self
            && Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? self
            : executable;
}

/// <summary>The worker's OS process: its output goes to the log, its exit is a task.</summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ILogger _log;

    private WorkerProcess(Process process, ILoggerFactory loggerFactory)
    {
        _process = process;
        _log = loggerFactory.CreateLogger("host");
        Exited = WaitForExitAsync();
    }

    public int Id => _process.Id;

    /// <summary>Completes with the exit code when the process has exited and its output is drained.</summary>
    public Task<int> Exited { get; }

    public static WorkerProcess Start(WorkerLaunch launch, ILoggerFactory loggerFactory)
    {
        var start = new ProcessStartInfo(launch.FileName)
        {
            WorkingDirectory = launch.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in launch.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in launch.Environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var stdout = loggerFactory.CreateLogger("worker");
        var stderr = loggerFactory.CreateLogger("worker:stderr");
        process.OutputDataReceived += (_, line) => WriteLine(stdout, line.Data);
        process.ErrorDataReceived += (_, line) => WriteLine(stderr, line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var worker = new WorkerProcess(process, loggerFactory);
        worker._log.LogInformation("Worker process started (pid {Pid}): {FileName} {WorkerPath}", process.Id, launch.FileName, launch.Arguments[0]);
        return worker;
    }

    /// <summary>Asks the worker to stop (WorkerTerminate), and kills it once the grace period is over.</summary>
    public async Task<int> TerminateAsync(WorkerChannel channel, TimeSpan gracePeriod)
    {
        if (!Exited.IsCompleted)
        {
            channel.TrySend(new StreamingMessage { WorkerTerminate = new WorkerTerminate { GracePeriod = Duration.FromTimeSpan(gracePeriod) } });
            try
            {
                await Exited.WaitAsync(gracePeriod + TimeSpan.FromSeconds(1));
            }
            catch (TimeoutException)
            {
                _log.LogWarning("Worker process did not exit within {GraceSeconds} s; killing it", gracePeriod.TotalSeconds);
                Kill();
            }
        }

        return await Exited;
    }

    /// <summary>The exit code if the process exits within the given time, else null.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout) =>
        await Task.WhenAny(Exited, Task.Delay(timeout)) == Exited ? await Exited : null;

    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!Exited.IsCompleted)
        {
            Kill();
            await ((Task)Exited).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _process.Dispose();
    }

    private static void WriteLine(ILogger log, string? line)
    {
        if (line is not null)
        {
            log.LogInformation("{Line}", line);
        }
    }

    private async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }
}
