namespace Likeness.Benchmarks;

/// <summary>
/// Start time: for the function app, from starting the local Functions host (which then launches
/// the worker, loads its functions and opens its port) to the first 200 from <c>/api/health</c>,
/// whose answer queries PostgreSQL after the worker's start-up migration check; for a bare
/// ASP.NET Core app published the same way, from starting <c>dotnet App.dll</c> to its first 200.
/// One unrecorded start of each first, so both read their files from the OS cache, as a warm
/// instance's disk would.
/// </summary>
internal static class ColdStartBenchmark
{
    public const int Starts = 5;

    private static readonly TimeSpan ReadyLineWait = TimeSpan.FromSeconds(10);

    public static async Task<ColdStartReport> RunAsync(
        PublishedApp app, PublishedApp bare, IReadOnlyDictionary<string, string> appEnvironment, CancellationToken cancellationToken)
    {
        var appTimes = new List<double>();
        var readyTimes = new List<double>();
        var bareTimes = new List<double>();
        for (var i = 0; i <= Starts; i++)
        {
            // Alternated, so a slow moment of the machine hits both alike.
            var (appTime, readyTime) = await StartAppOnceAsync(app, appEnvironment, cancellationToken);
            var bareTime = await StartBareOnceAsync(bare, cancellationToken);
            if (i > 0)
            {
                appTimes.Add(appTime);
                readyTimes.Add(readyTime);
                bareTimes.Add(bareTime);
            }
        }
        var report = new ColdStartReport(
            LatencyStats.From(1, appTimes, 0, appTimes.Sum() / 1000),
            LatencyStats.From(1, readyTimes, 0, readyTimes.Sum() / 1000),
            LatencyStats.From(1, bareTimes, 0, bareTimes.Sum() / 1000));
        Console.WriteLine($"  start time: host + app median {report.App.P50:0} ms (host ready {report.HostReady.P50:0} ms), bare median {report.Bare.P50:0} ms");
        return report;
    }

    private static async Task<(double Healthy, double Ready)> StartAppOnceAsync(PublishedApp app, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        await using var running = app.Start(environment);
        var healthy = await running.WaitUntilHealthyAsync(cancellationToken);
        // The host prints the line just after its port opens, so it may arrive after the first answer.
        var ready = await running.ReadyAfter.WaitAsync(ReadyLineWait, cancellationToken);
        return (healthy.TotalMilliseconds, ready.TotalMilliseconds);
    }

    private static async Task<double> StartBareOnceAsync(PublishedApp bare, CancellationToken cancellationToken)
    {
        await using var running = bare.Start(new Dictionary<string, string>());
        return (await running.WaitUntilHealthyAsync(cancellationToken)).TotalMilliseconds;
    }
}

/// <param name="App">Milliseconds from starting the local host to the first healthy answer; P50 is the median of <see cref="ColdStartBenchmark.Starts"/> starts.</param>
/// <param name="HostReady">Milliseconds from starting the local host to its "Host ready" line.</param>
/// <param name="Bare">Milliseconds from starting the bare app to its first healthy answer.</param>
internal sealed record ColdStartReport(LatencyStats App, LatencyStats HostReady, LatencyStats Bare);
