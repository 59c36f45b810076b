// A small stand-in for the Azure Functions host, for a .NET isolated worker: it launches the
// worker, speaks the host's gRPC protocol with it, serves its HTTP functions, fires its timers
// and offers the admin API. Core Tools cannot be installed here; this carries only what the app uses.
using LocalFunctionsHost;

// 1. Command line.
if (!CommandLine.TryParse(args, out var options, out var usageError))
{
    await Console.Error.WriteLineAsync(usageError + Environment.NewLine + CommandLine.Usage);
    return 2;
}

// 2. Log, with keys and code values redacted from every line; Ctrl+C / SIGTERM.
var redactor = new Redactor(options.LogSearchText, options.FunctionKey, options.MasterKey);
using var loggerFactory = HostLogging.CreateFactory(redactor);
var log = loggerFactory.CreateLogger("host");
using var shutdown = new ShutdownSignal();
var keys = new KeyAuthorization(options.FunctionKey, options.MasterKey);
log.LogInformation(keys.Enforced
    ? "Keys: enforced (x-functions-key header or code query parameter); listening on loopback only"
    : "Keys: not enforced (no --function-key or --master-key given); listening on loopback only, so only this machine can call it");
log.LogInformation(options.LogSearchText ? "Search text: logged (--log-search-text)" : "Search text: q values are redacted from the logs");

// 3. App settings: local.settings.json under the environment.
var settings = AppSettings.Load(options.ScriptRoot, Environment.CurrentDirectory);
log.LogInformation("App settings: {Source}", settings.SettingsFile ?? "environment only (no local.settings.json)");

// 4. The gRPC endpoint, then the worker, which dials it.
var channel = new WorkerChannel(loggerFactory);
await using var grpc = await GrpcServer.StartAsync(channel, loggerFactory, CancellationToken.None);
await using var worker = WorkerProcess.Start(WorkerLaunch.Create(options.ScriptRoot, grpc.Address, settings), loggerFactory);
_ = worker.Exited.ContinueWith(exit => channel.Fail($"The worker process exited with code {exit.Result}."), TaskScheduler.Default);

// 5. Init, metadata, load: the worker may die or the user may stop the host meanwhile.
FunctionRegistry registry;
try
{
    using var startTimeout = CancellationTokenSource.CreateLinkedTokenSource(shutdown.Token);
    startTimeout.CancelAfter(TimeSpan.FromMinutes(2));
    registry = await WorkerStartup.LoadFunctionsAsync(channel, options.ScriptRoot, log, startTimeout.Token);
}
catch (WorkerUnavailableException lost)
{
    if (await worker.WaitForExitAsync(TimeSpan.FromSeconds(5)) is { } exitCode)
    {
        log.LogError("Worker process died during start-up with exit code {ExitCode}", exitCode);
    }
    else
    {
        log.LogError("Worker start-up failed: {Error}", lost.Message);
        await worker.TerminateAsync(channel, TimeSpan.FromSeconds(5));
    }

    return 1;
}
catch (OperationCanceledException) when (shutdown.Token.IsCancellationRequested)
{
    log.LogInformation("Stopped during start-up; worker exited with code {ExitCode}", await worker.TerminateAsync(channel, TimeSpan.FromSeconds(5)));
    return 0;
}
catch (Exception failure) when (failure is WorkerStartupException or OperationCanceledException)
{
    log.LogError("Worker start-up failed: {Error}", failure is OperationCanceledException ? "timed out" : failure.Message);
    await worker.TerminateAsync(channel, TimeSpan.FromSeconds(5));
    return 1;
}

// 6. The public HTTP server: function routes and admin API.
var invoker = new FunctionInvoker(channel, loggerFactory);
PublicServer http;
try
{
    var corsOrigins = (options.Cors ?? settings.Cors ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    log.LogInformation("CORS: {Origins}", corsOrigins.Length == 0 ? "no cross-origin calls allowed" : "allowed from " + string.Join(", ", corsOrigins));
    http = await PublicServer.StartAsync(options.Port, registry, corsOrigins, services => services
        .AddSingleton(channel).AddSingleton(keys).AddSingleton(redactor).AddSingleton(settings).AddSingleton(invoker), loggerFactory, shutdown.Token);
}
catch (Exception failure) when (failure is IOException or OperationCanceledException)
{
    if (failure is IOException)
    {
        log.LogError("Cannot listen on 127.0.0.1:{Port}: {Error}", options.Port, failure.Message);
    }

    await worker.TerminateAsync(channel, TimeSpan.FromSeconds(5));
    return failure is IOException ? 1 : 0;
}

await using (http)
{
    FunctionListing.Write(log, registry, http.Address, Environment.ProcessId);

    // 7. Timers, unless --no-timers.
    using var stopTimers = new CancellationTokenSource();
    var timers = options.NoTimers
        ? Task.CompletedTask
        : new TimerScheduler(invoker, loggerFactory).RunAsync(registry, settings, stopTimers.Token);
    if (options.NoTimers)
    {
        log.LogInformation("Timers: not scheduled (--no-timers); run them with POST /admin/functions/<name>");
    }

    log.LogInformation("Host ready on {Address}", http.Address.ToString().TrimEnd('/'));

    // 8. Run until stopped or until the worker dies.
    // Ctrl+C in a terminal signals the worker too; its exit then is part of the stop, not a death.
    if (await Task.WhenAny(shutdown.Requested, channel.Closed) == channel.Closed && !shutdown.Requested.IsCompleted)
    {
        if (await worker.WaitForExitAsync(TimeSpan.FromSeconds(5)) is { } exitCode)
        {
            log.LogError("Worker process exited unexpectedly with code {ExitCode}; stopping the host", exitCode);
        }
        else
        {
            log.LogError("Worker lost ({Reason}) while its process still runs; killing it and stopping the host", await channel.Closed);
            worker.Kill();
        }

        await stopTimers.CancelAsync();
        await http.StopAsync(TimeSpan.FromSeconds(5));
        return 1;
    }

    // 9. Orderly shutdown: no new work, running requests drain, then WorkerTerminate.
    log.LogInformation("Shutting down ({Signal})", await shutdown.Requested);
    await stopTimers.CancelAsync();
    await timers;
    await http.StopAsync(TimeSpan.FromSeconds(5));
    log.LogInformation("Worker process exited with code {ExitCode}", await worker.TerminateAsync(channel, TimeSpan.FromSeconds(5)));
    return 0;
}
