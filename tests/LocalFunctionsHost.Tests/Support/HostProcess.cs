using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace LocalFunctionsHost.Tests.Support;

/// <summary>
/// The real LocalFunctionsHost process driving the real test worker, on a free loopback port
/// (--port 0; the port is read from the "Host ready on" line). Every line it prints is kept.
/// </summary>
internal sealed partial class HostProcess : IAsyncDisposable
{
    /// <summary>Generous: two cores, cold JIT, a worker to start.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    public static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];

    private readonly string? _ownFolder;

    private HostProcess(Process process, string? ownFolder)
    {
        _process = process;
        _ownFolder = ownFolder;
    }

    public static string HostDll => Metadata("LocalFunctionsHost.Dll");

    public static string WorkerOutput => Metadata("LocalFunctionsHost.TestWorkerOutput");

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <summary>The worker's pid, from the host's "Worker process started (pid N)" line.</summary>
    public int WorkerId => int.Parse(WorkerStarted().Match(Output).Groups[1].Value, CultureInfo.InvariantCulture);

    /// <summary>
    /// Starts the host with --script-root set to the test worker's output and --port 0, in an
    /// empty working folder (so no local.settings.json is read unless the test puts one there).
    /// The Tick and Slow timers' schedule settings default to once a year; a null environment value removes a variable.
    /// </summary>
    public static async Task<HostProcess> StartAsync(
        IEnumerable<string>? arguments = null,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null,
        bool waitUntilReady = true)
    {
        var ownFolder = workingDirectory is null ? Directory.CreateTempSubdirectory("local-host-test-").FullName : null;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? ownFolder,
        };
        foreach (var argument in (string[])[HostDll, "--script-root", WorkerOutput, "--port", "0", .. arguments ?? []])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["Timers__Tick__Schedule"] = "0 0 0 1 1 *";
        start.Environment["Timers__Slow__Schedule"] = "0 0 0 1 1 *";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var host = new HostProcess(process, ownFolder);
        process.OutputDataReceived += (_, line) => host.Add(line.Data);
        process.ErrorDataReceived += (_, line) => host.Add(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        if (waitUntilReady)
        {
            await host.WaitUntilReadyAsync();
        }

        return host;
    }

    public async Task WaitUntilReadyAsync()
    {
        var ready = await WaitForLineAsync(line => line.Contains("Host ready on ", StringComparison.Ordinal), StartTimeout);
        BaseAddress = new Uri(ReadyLine().Match(ready).Groups[1].Value + "/");
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    /// <summary>The first line, printed so far or later, that matches; fails with the output after the timeout.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_lines.FirstOrDefault(match) is { } line)
            {
                return line;
            }

            _waiters.Add((match, found));
        }

        var exited = _process.WaitForExitAsync();
        try
        {
            var first = await Task.WhenAny(found.Task, exited).WaitAsync(timeout ?? StartTimeout);
            if (first == exited && !found.Task.IsCompleted)
            {
                // Output may still be draining; one last look.
                await Task.Delay(100);
                lock (_gate)
                {
                    if (_lines.FirstOrDefault(match) is { } late)
                    {
                        return late;
                    }
                }

                throw new AssertFailedException($"The host exited ({_process.ExitCode}) before printing the expected line. Output:\n{Output}");
            }

            return await found.Task;
        }
        catch (TimeoutException)
        {
            throw new AssertFailedException($"The host did not print the expected line in time. Output:\n{Output}");
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout ?? ExitTimeout);
        }
        catch (TimeoutException)
        {
            throw new AssertFailedException($"The host did not exit in time. Output:\n{Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>What a service manager or `kill` sends.</summary>
    public void SendSigterm()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        Client?.Dispose();
        _process.Dispose();
        if (_ownFolder is not null)
        {
            Directory.Delete(_ownFolder, recursive: true);
        }
    }

    private static string Metadata(string key) =>
        typeof(HostProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _lines.Add(line);
            foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
            {
                waiter.Found.TrySetResult(line);
                _waiters.Remove(waiter);
            }
        }
    }

    [GeneratedRegex(@"Host ready on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ReadyLine();

    [GeneratedRegex(@"Worker process started \(pid (\d+)\)")]
    private static partial Regex WorkerStarted();
}
