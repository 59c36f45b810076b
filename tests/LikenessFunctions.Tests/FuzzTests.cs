using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Azure.Storage.Blobs;
using Likeness.Shared.Data;
using Likeness.Shared.Media;
using Likeness.Testing;

namespace LikenessFunctions.Tests;

/// <summary>
/// Generated malformed requests against every endpoint (mutated JSON, random bytes, odd headers,
/// huge and negative numbers, broken encodings): none may answer 5xx or hang. The generator is
/// seeded, so a failure names a request that can be replayed.
/// </summary>
[TestClass]
public sealed class FuzzTests
{
    private const int Requests = 10_000;
    private const int Concurrency = 8;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);

    private static readonly string[] SearchFields =
    [
        "q", "category", "gender", "country", "hairColor", "eyeColor", "isVerified", "hasTattoos", "minFollowers", "maxFollowers",
        "minEngagementRate", "maxEngagementRate", "minBirthYear", "maxBirthYear", "minHeight", "maxHeight", "assetType", "limit", "offset", "code",
    ];

    private static readonly string[] OddValues =
    [
        "", " ", "MODELS", "models", "BLONDE", "true", "false", "TRUE", "0", "-1", "1", "100", "101", "2147483647", "2147483648", "-2147483649",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "99999999999999999999999999", "1e308", "1e999", "-1e999", "NaN",
        "Infinity", "-Infinity", "0x10", "1.5", "1,5", "%00", "%FF%FE", "%ED%A0%80", "%C3%28", "a%00b", "%0A%0D", "..%2F..%2F", "<script>",
        "' OR 1=1 --", "\u00e9", "\U0001F600", new string('x', 5000),
    ];

    private static readonly string[] JsonSeeds =
    [
        """{"q":"blonde actor","category":["MODELS","ACTORS"],"isVerified":true,"minFollowers":10,"limit":5,"offset":0}""",
        """{"hairColor":["BLONDE"],"minHeight":150,"maxHeight":190,"assetType":"IMAGE"}""",
        """{"accountId":"ACCOUNT","elementType":"IMAGE_ASSET","elementId":"asset-1","info":{"source":"upload","n":[1,2,{"x":null}]}}""",
        """{"accountId":"ACCOUNT","elementType":"SOCIAL_DATA"}""",
    ];

    private static readonly string[] JsonFragments =
    [
        "\"\\ud800\"", "\"\\udfff\\ud800\"", "\"\\u0000\"", "\"a\\u0000b\"", "1e999", "-1e999", "99999999999999999999999999999", "-0", "NaN",
        "[]", "{}", "null", "true", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
        "\"" + new string('z', 70_000) + "\"", "{\"a\":1,\"a\":2}", "\"\\\"", "'single'", "\"\\uZZZZ\"",
    ];

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json; charset=utf-8", "application/json; charset=utf-16", "text/plain", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x", "application/json; charset=\"", ";;;", "*/*", "",
    ];

    private static readonly string[] RangeHeaders =
    [
        "bytes=0-9223372036854775807", "bytes=9223372036854775807-", "bytes=-9223372036854775807", "bytes=0-99999999999999999999", "bytes=5-3",
        "bytes=-0", "bytes=0-", "bytes=0-0,1-1", "bytes=", "bytes=a-b", "items=0-1", "bytes=-1", "bytes=1000000-", "bytes 0-1",
    ];

    private static readonly string[] ValidatorHeaders =
    [
        "*", "\"x\"", "W/\"x\"", "garbage", "\"a\", \"b\", W/\"c\"", "\"", ",,,", "Thu, 01 Jan 1970 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT",
        "not a date", "-1", "\"0x8D000000000000\"",
    ];

    private static TestDatabase db = null!;
    private static AppProcess app = null!;
    private static BlobContainerClient container = null!;
    private static string accountId = null!;
    private static string filename = null!;
    private static string eventId = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext _)
    {
        db = await TestDatabase.CreateAsync();
        container = TestStorage.NewContainer();
        app = await AppProcess.StartAsync(db.ConnectionString, new Dictionary<string, string> { ["MediaStorage__Container"] = container.Name });
        accountId = (await new AccountsAccess(db.DataSource).CreateAccountAsync(new NewAccount("talent-" + NanoId.New(), "Q", null, null))).Id;
        eventId = (await new LikenessNeedIndexingQueueAccess(db.DataSource).AddToQueueAsync(accountId, QueueElementType.SocialData, null, null)).Id;
        var library = new MediaLibrary(new MediaAccess(db.DataSource), container);
        filename = (await library.UploadAsync("fuzz.png", "image/png", BinaryData.FromBytes(new byte[4096]), CancellationToken.None)).Filename;
    }

    [ClassCleanup]
    public static async Task CleanupAsync()
    {
        await app.DisposeAsync();
        await db.DisposeAsync();
        await container.DeleteIfExistsAsync();
    }

    [TestMethod]
    [Timeout(180_000, CooperativeCancellation = true)]
    public async Task TenThousandMalformedRequestsGetNo5xxAndNoHang()
    {
        var failures = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        var next = -1;
        var unanswered = 0;
        var clock = Stopwatch.StartNew();
        using var client = app.CreateClient();
        client.Timeout = RequestTimeout;

        var workers = Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < Requests)
            {
                using var request = Generate(new Random(index));
                var described = $"#{index} {request.Method} {request.RequestUri}";
                try
                {
                    using var response = await client.SendAsync(request);
                    await response.Content.ReadAsByteArrayAsync();
                    statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                    if ((int)response.StatusCode >= 500)
                    {
                        failures.Enqueue($"{described} -> {(int)response.StatusCode}");
                    }
                }
                catch (TaskCanceledException)
                {
                    Interlocked.Increment(ref unanswered);
                    failures.Enqueue($"{described} -> no answer within {RequestTimeout}");
                }
                catch (HttpRequestException broken)
                {
                    Interlocked.Increment(ref unanswered);
                    failures.Enqueue($"{described} -> connection broken: {broken.InnerException?.Message ?? broken.Message}");
                }
            }
        })).ToList();
        await Task.WhenAll(workers);

        var summary = string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"));
        Console.WriteLine($"{Requests} malformed requests in {clock.Elapsed.TotalSeconds:F1} s; statuses {summary}");
        Assert.AreEqual(Requests, statuses.Values.Sum() + unanswered);
        Assert.IsEmpty(failures, string.Join(Environment.NewLine, failures.Take(20)) + Environment.NewLine + app.Output);
    }

    /// <summary>One malformed request, chosen by <paramref name="random"/> among every endpoint.</summary>
    private static HttpRequestMessage Generate(Random random) => random.Next(9) switch
    {
        0 => Get($"/api/likeness/search?{Query(random)}", random),
        1 or 2 => Post("/api/likeness/search", random),
        3 or 4 => Post("/api/likeness/queue", random),
        5 => Get($"/api/likeness/queue/{Id(random)}", random),
        6 => Get($"/api/likeness/accounts/{Id(random)}/similar?{Query(random)}", random),
        7 => Media(random),
        _ => Get(random.Next(3) switch { 0 => "/api/health", 1 => "/api/openapi.json", _ => $"/api/{Id(random)}" }, random),
    };

    private static HttpRequestMessage Get(string path, Random random)
    {
        var request = new HttpRequestMessage(random.Next(10) == 0 ? HttpMethod.Delete : HttpMethod.Get, path);
        OddHeaders(request, random);
        return request;
    }

    private static HttpRequestMessage Post(string path, Random random)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path + (random.Next(8) == 0 ? $"?{Query(random)}" : ""));
        var content = new ByteArrayContent(Body(random));
        var type = random.Next(3) == 0 ? Pick(ContentTypes, random) : "application/json";
        if (type.Length > 0)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", type);
        }
        request.Content = content;
        OddHeaders(request, random);
        return request;
    }

    private static HttpRequestMessage Media(Random random)
    {
        var name = random.Next(3) switch
        {
            0 => filename,
            1 => filename[..^1] + (char)('a' + random.Next(26)),
            _ => Id(random),
        };
        var request = new HttpRequestMessage(random.Next(4) == 0 ? HttpMethod.Head : HttpMethod.Get, $"/api/media/{name}");
        request.Headers.TryAddWithoutValidation("Range", Pick(RangeHeaders, random));
        foreach (var header in (string[])["If-None-Match", "If-Modified-Since", "If-Range"])
        {
            if (random.Next(2) == 0)
            {
                request.Headers.TryAddWithoutValidation(header, Pick(ValidatorHeaders, random));
            }
        }
        return request;
    }

    private static void OddHeaders(HttpRequestMessage request, Random random)
    {
        if (random.Next(4) == 0)
        {
            request.Headers.TryAddWithoutValidation(Pick((string[])["Range", "If-None-Match", "Accept", "Accept-Charset", "X-Forwarded-For"], random), Pick(ValidatorHeaders, random));
        }
    }

    private static string Query(Random random) =>
        string.Join("&", Enumerable.Range(0, random.Next(1, 5)).Select(_ => $"{Pick(SearchFields, random)}={Pick(OddValues, random)}"));

    private static string Id(Random random) => random.Next(4) switch
    {
        0 => eventId,
        1 => accountId,
        2 => Pick(OddValues, random),
        _ => string.Concat(Enumerable.Range(0, random.Next(1, 80)).Select(_ => $"%{random.Next(256):X2}")),
    };

    /// <summary>A seed document mutated: fragments spliced in, bytes flipped, cut short, or plain random bytes.</summary>
    private static byte[] Body(Random random)
    {
        var seed = Pick(JsonSeeds, random).Replace("ACCOUNT", accountId, StringComparison.Ordinal);
        switch (random.Next(6))
        {
            case 0:
                return RandomBytes(random, random.Next(0, 300));
            case 1:
                var cut = Encoding.UTF8.GetBytes(seed);
                return cut[..random.Next(cut.Length)];
        }
        var text = new StringBuilder(seed);
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            // Replace a value (after a colon) or a whole key with a fragment.
            var colon = IndexOfNth(text.ToString(), ':', random);
            var fragment = Pick(JsonFragments, random);
            if (colon >= 0)
            {
                var end = text.ToString().IndexOfAny([',', '}'], colon);
                text.Remove(colon + 1, (end < 0 ? text.Length : end) - colon - 1).Insert(colon + 1, fragment);
            }
            if (random.Next(3) == 0)
            {
                text.Insert(1, $"{Pick(JsonFragments, random)}:1,");
            }
        }
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        if (random.Next(3) == 0 && bytes.Length > 0)
        {
            bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
        }
        return bytes;
    }

    private static int IndexOfNth(string text, char c, Random random)
    {
        var positions = Enumerable.Range(0, text.Length).Where(i => text[i] == c).ToList();
        return positions.Count == 0 ? -1 : positions[random.Next(positions.Count)];
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static T Pick<T>(IReadOnlyList<T> items, Random random) => items[random.Next(items.Count)];
}
