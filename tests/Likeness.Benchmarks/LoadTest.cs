using System.Diagnostics;

namespace Likeness.Benchmarks;

/// <summary>How long one measurement runs: a warm-up that is not recorded, then the measured window.</summary>
/// <param name="MinSamples">The window is stretched (up to <see cref="MaxWindow"/>) until this many operations completed.</param>
internal sealed record LoadSettings(TimeSpan Warmup, TimeSpan Window, int MinSamples, TimeSpan MaxWindow)
{
    /// <summary>A warm-up of a fifth of the window (at least 0.5 s), at least 20 samples, at most four windows.</summary>
    public static LoadSettings ForWindow(TimeSpan window) => new(TimeSpan.FromSeconds(Math.Max(0.5, window.TotalSeconds / 5)), window, 20, window * 4);
}

/// <summary>Latency percentiles (milliseconds) and throughput of one measurement.</summary>
internal sealed record LatencyStats(int Clients, int Count, int Errors, double Seconds, double P50, double P95, double P99, double Mean, double Min, double Max)
{
    public double Throughput => Seconds > 0 ? Count / Seconds : 0;

    public static LatencyStats From(int clients, List<double> milliseconds, int errors, double seconds)
    {
        milliseconds.Sort();
        return new LatencyStats(
            clients, milliseconds.Count, errors, seconds,
            Percentile(milliseconds, 0.50), Percentile(milliseconds, 0.95), Percentile(milliseconds, 0.99),
            milliseconds.Count == 0 ? double.NaN : milliseconds.Average(),
            milliseconds.Count == 0 ? double.NaN : milliseconds[0],
            milliseconds.Count == 0 ? double.NaN : milliseconds[^1]);
    }

    // Nearest rank: the smallest value with at least p of the samples at or below it.
    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}

/// <summary>
/// A closed loop: <c>clients</c> tasks each run the operation back to back (the next request
/// leaves when the previous answer is read), so the throughput is what the server sustains at
/// that concurrency and the latency is what each client sees.
/// </summary>
internal static class LoadTest
{
    /// <param name="operation">One request; false (or an exception) counts as an error. Gets the client's own random source.</param>
    public static async Task<LatencyStats> RunAsync(
        int clients, LoadSettings settings, Func<Random, CancellationToken, Task<bool>> operation, CancellationToken cancellationToken)
    {
        var samples = new List<double>[clients];
        var errors = 0;
        var completed = 0;
        var start = Stopwatch.GetTimestamp();
        var recordFrom = start + (long)(settings.Warmup.TotalSeconds * Stopwatch.Frequency);
        var lastEnd = recordFrom;

        bool Done(long now)
        {
            var window = Stopwatch.GetElapsedTime(recordFrom, now);
            return window >= settings.MaxWindow || (window >= settings.Window && Volatile.Read(ref completed) >= settings.MinSamples);
        }

        async Task ClientAsync(int client)
        {
            var random = new Random(client * 7919 + 17);
            var mine = samples[client] = [];
            while (true)
            {
                var before = Stopwatch.GetTimestamp();
                if (Done(before))
                {
                    return;
                }
                bool ok;
                try
                {
                    ok = await operation(random, cancellationToken);
                }
                catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    ok = false;
                }
                var after = Stopwatch.GetTimestamp();
                if (before < recordFrom)
                {
                    continue;
                }
                if (!ok)
                {
                    Interlocked.Increment(ref errors);
                    continue;
                }
                mine.Add(Stopwatch.GetElapsedTime(before, after).TotalMilliseconds);
                Interlocked.Increment(ref completed);
                InterlockedMax(ref lastEnd, after);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(() => ClientAsync(c), cancellationToken)));
        var seconds = Stopwatch.GetElapsedTime(recordFrom, Volatile.Read(ref lastEnd)).TotalSeconds;
        return LatencyStats.From(clients, [.. samples.SelectMany(s => s)], errors, seconds);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }
            current = seen;
        }
    }
}
