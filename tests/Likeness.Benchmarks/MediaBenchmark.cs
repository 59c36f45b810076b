using System.Buffers;
using System.Diagnostics;
using Azure.Storage.Blobs;
using Likeness.Shared.Data;
using Likeness.Shared.Media;
using Likeness.Shared.Storage;

namespace Likeness.Benchmarks;

/// <summary>
/// The media proxy (<c>GET /api/media/{filename}</c> on the app) against reading the same blob
/// straight from Azurite with the app's own blob client: time to first byte with one client, and
/// throughput of whole downloads at 1 and 8 clients, for a 10 KB and a 5 MB file.
/// </summary>
internal static class MediaBenchmark
{
    public static readonly int[] Concurrency = [1, 8];

    private const int TtfbRequests = 50;

    private static readonly (string Name, int Bytes)[] Sizes = [("10 KB", 10 * 1024), ("5 MB", 5 * 1024 * 1024)];

    public static async Task<List<MediaResult>> RunAsync(CatalogDatabase database, HttpClient app, LoadSettings settings, CancellationToken cancellationToken)
    {
        // The container the app serves from by default, reached the way the app reaches it.
        var container = new BlobServiceClient("UseDevelopmentStorage=true").GetBlobContainerClient(new BlobStorageOptions().Container);
        var library = new MediaLibrary(new MediaAccess(database.DataSource), container);
        var results = new List<MediaResult>();
        var uploaded = new List<string>();
        try
        {
            foreach (var (name, bytes) in Sizes)
            {
                var content = new byte[bytes];
                new Random(bytes).NextBytes(content);
                var file = await library.UploadAsync($"benchmark-{name.Replace(' ', '-')}.bin", "application/octet-stream", BinaryData.FromBytes(content), cancellationToken);
                uploaded.Add(file.S3Key);

                var paths = new (string Path, Func<CancellationToken, Task<(Stream Body, IDisposable Owner)>> Open)[]
                {
                    ("proxy", async token =>
                    {
                        var response = await app.GetAsync(new Uri($"/api/media/{file.Filename}", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, token);
                        response.EnsureSuccessStatusCode();
                        return (await response.Content.ReadAsStreamAsync(token), response);
                    }),
                    ("direct Azurite", async token =>
                    {
                        var body = (await library.BlobOf(file)!.DownloadStreamingAsync(cancellationToken: token)).Value.Content;
                        return (body, body);
                    }),
                };
                foreach (var (path, open) in paths)
                {
                    var ttfb = await TimeToFirstByteAsync(open, bytes, cancellationToken);
                    var levels = new List<LatencyStats>();
                    foreach (var clients in Concurrency)
                    {
                        levels.Add(await LoadTest.RunAsync(clients, settings, async (_, token) => await ReadAllAsync(open, token) == bytes, cancellationToken));
                        Console.WriteLine($"  media {name,-5} {path,-14} c={clients} p50={levels[^1].P50:0.00} ms {levels[^1].Throughput * bytes / 1e6:0.0} MB/s ttfb p50={ttfb.P50:0.00} ms");
                    }
                    results.Add(new MediaResult(name, bytes, path, ttfb, levels));
                }
            }
        }
        finally
        {
            foreach (var blob in uploaded)
            {
                await container.DeleteBlobIfExistsAsync(blob, cancellationToken: CancellationToken.None);
            }
        }
        return results;
    }

    /// <summary>One client, one request at a time: from sending the request to reading the first byte of the body.</summary>
    private static async Task<LatencyStats> TimeToFirstByteAsync(Func<CancellationToken, Task<(Stream Body, IDisposable Owner)>> open, int bytes, CancellationToken cancellationToken)
    {
        var times = new List<double>();
        var buffer = new byte[1];
        for (var i = 0; i < TtfbRequests + 5; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var (body, owner) = await open(cancellationToken);
            using (owner)
            {
                await using (body)
                {
                    if (await body.ReadAsync(buffer, cancellationToken) != 1)
                    {
                        throw new InvalidOperationException("Empty body.");
                    }
                    var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    await body.CopyToAsync(Stream.Null, cancellationToken);
                    if (i >= 5)
                    {
                        times.Add(elapsed);
                    }
                }
            }
        }
        return LatencyStats.From(1, times, 0, times.Sum() / 1000);
    }

    private static async Task<long> ReadAllAsync(Func<CancellationToken, Task<(Stream Body, IDisposable Owner)>> open, CancellationToken cancellationToken)
    {
        var (body, owner) = await open(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(81_920);
        try
        {
            using (owner)
            {
                await using (body)
                {
                    long total = 0;
                    int read;
                    while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
                    {
                        total += read;
                    }
                    return total;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <param name="Path">proxy or direct Azurite.</param>
/// <param name="Ttfb">Time to first byte, one client.</param>
/// <param name="Levels">Whole downloads at each concurrency.</param>
internal sealed record MediaResult(string Size, int Bytes, string Path, LatencyStats Ttfb, IReadOnlyList<LatencyStats> Levels);
