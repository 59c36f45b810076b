namespace Likeness.Benchmarks;

/// <summary>
/// Cold start: from starting <c>dotnet App.dll</c> to the first 200 from <c>/api/health</c>, for
/// the published function app (whose health check queries PostgreSQL, after the start-up
/// migration check) and for a bare ASP.NET Core app published the same way. One unrecorded start
/// of each first, so both read their files from the OS cache, as a warm instance's disk would.
/// </summary>
internal static class ColdStartBenchmark
{
    public const int Starts = 5;

    public static async Task<ColdStartReport> RunAsync(
        PublishedApp app, PublishedApp bare, IReadOnlyDictionary<string, string> appEnvironment, CancellationToken cancellationToken)
    {
        var appTimes = new List<double>();
        var bareTimes = new List<double>();
        for (var i = 0; i <= Starts; i++)
        {
            // Alternated, so a slow moment of the machine hits both alike.
            var appTime = await StartOnceAsync(app, appEnvironment, cancellationToken);
            var bareTime = await StartOnceAsync(bare, new Dictionary<string, string>(), cancellationToken);
            if (i > 0)
            {
                appTimes.Add(appTime);
                bareTimes.Add(bareTime);
            }
        }
        var report = new ColdStartReport(
            LatencyStats.From(1, appTimes, 0, appTimes.Sum() / 1000),
            LatencyStats.From(1, bareTimes, 0, bareTimes.Sum() / 1000));
        Console.WriteLine($"  cold start: app median {report.App.P50:0} ms, bare median {report.Bare.P50:0} ms");
        return report;
    }

    private static async Task<double> StartOnceAsync(PublishedApp app, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        await using var running = app.Start(environment);
        return (await running.WaitUntilHealthyAsync(cancellationToken)).TotalMilliseconds;
    }
}

/// <param name="App">Milliseconds to the first healthy answer; P50 is the median of <see cref="ColdStartBenchmark.Starts"/> starts.</param>
internal sealed record ColdStartReport(LatencyStats App, LatencyStats Bare);
