using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LocalFunctionsHost.Tests.Support;

namespace LocalFunctionsHost.Tests;

/// <summary>HTTP functions through the host, which forwards to the worker's own Kestrel (no keys given).</summary>
[TestClass]
public sealed class HttpForwardingTests
{
    private static HostProcess _host = null!;

    [ClassInitialize]
    public static async Task StartHostAsync(TestContext context) => _host = await HostProcess.StartAsync(["--no-timers"]);

    [ClassCleanup]
    public static async Task StopHostAsync() => await _host.DisposeAsync();

    [TestMethod]
    public async Task ARouteValueReachesTheFunctionThroughItsConstraint()
    {
        var echo = await _host.Client.GetFromJsonAsync<JsonElement>("api/echo/42");

        Assert.AreEqual(42, echo.GetProperty("id").GetInt32());
        Assert.AreEqual("GET", echo.GetProperty("method").GetString());
    }

    [TestMethod]
    public async Task APathNoRouteMatchesAnswersAPlain404()
    {
        foreach (var path in (string[])["api/echo/not-a-number", "api/nothing-here", "echo/1"])
        {
            using var response = await _host.Client.GetAsync(path);

            Assert.AreEqual(HttpStatusCode.NotFound, response.StatusCode, path);
            Assert.AreEqual("", await response.Content.ReadAsStringAsync(), path);
        }
    }

    [TestMethod]
    public async Task AMethodTheFunctionDoesNotTakeAnswers405()
    {
        using var response = await _host.Client.PutAsync("api/echo/1", new StringContent("x"));

        Assert.AreEqual(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        CollectionAssert.AreEquivalent(new[] { "GET", "POST" }, response.Content.Headers.Allow.ToArray());
    }

    [TestMethod]
    public async Task QueryHeaderAndBodyReachTheFunctionAndItsAnswerComesBack()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/echo/7?q=hello%20world&other=1")
        {
            Content = new StringContent("the body, with ünïcode"),
        };
        request.Headers.Add("x-test", "header value");

        using var response = await _host.Client.SendAsync(request);
        var echo = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual(7, echo.GetProperty("id").GetInt32());
        Assert.AreEqual("POST", echo.GetProperty("method").GetString());
        Assert.AreEqual("hello world", echo.GetProperty("query").GetString());
        Assert.AreEqual("header value", echo.GetProperty("header").GetString());
        Assert.AreEqual("the body, with ünïcode", echo.GetProperty("body").GetString());
    }

    [TestMethod]
    public async Task TheFunctionSeesThePublicUrlThroughTheForwardedHeaders()
    {
        var echo = await _host.Client.GetFromJsonAsync<JsonElement>("api/echo/3?q=x");

        Assert.AreEqual(new Uri(_host.BaseAddress, "api/echo/3?q=x").ToString(), echo.GetProperty("url").GetString());
    }

    [TestMethod]
    public async Task AMultiMegabyteResponseStreamsThroughByteExact()
    {
        const int Megabytes = 24;
        using var response = await _host.Client.GetAsync($"api/big?mb={Megabytes}", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();

        var buffer = new byte[81920];
        long offset = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != Pattern.At(offset + i))
                {
                    Assert.Fail($"Byte {offset + i} differs.");
                }
            }

            offset += read;
        }

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual(Megabytes * 1024L * 1024, offset);
        Assert.AreEqual(Megabytes * 1024L * 1024, response.Content.Headers.ContentLength);
    }

    [TestMethod]
    public async Task ARangeRequestAnswers206WithJustThatSlice()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/big?mb=2");
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(1_000_000, 1_000_999);

        using var response = await _host.Client.SendAsync(request);
        var slice = await response.Content.ReadAsByteArrayAsync();

        Assert.AreEqual(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.AreEqual("bytes 1000000-1000999/2097152", response.Content.Headers.ContentRange?.ToString());
        Assert.AreEqual(1000, slice.Length);
        for (var i = 0; i < slice.Length; i++)
        {
            Assert.AreEqual(Pattern.At(1_000_000 + i), slice[i]);
        }
    }

    [TestMethod]
    public async Task AMultiMegabyteRequestBodyStreamsThroughByteExact()
    {
        const long Length = 12L * 1024 * 1024 + 123;
        using var content = new Pattern.Content(Length);

        using var response = await _host.Client.PostAsync("api/upload", content);
        var upload = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual(Length, upload.GetProperty("length").GetInt64());
        Assert.AreEqual(content.Sha256, upload.GetProperty("sha256").GetString());
    }

    [TestMethod]
    public async Task AFunctionThatThrowsAnswers500ProblemJson()
    {
        using var response = await _host.Client.GetAsync("api/throws");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.AreEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.AreEqual("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.AreEqual(500, problem.GetProperty("status").GetInt32());
        Assert.AreEqual("Throws always throws", problem.GetProperty("detail").GetString());
    }

    [TestMethod]
    public async Task AFunctionThatFailsAfterItsResponseBeganStreamingHasItsResponseAborted()
    {
        using var response = await _host.Client.GetAsync("api/fails-mid-stream", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();

        // The status line is long gone; breaking the connection keeps the failure from passing as a success.
        await Assert.ThrowsAsync<IOException>(() => body.CopyToAsync(Stream.Null));
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [TestMethod]
    public async Task KeysAreNotEnforcedWhenNoKeyIsGiven()
    {
        using var secret = await _host.Client.GetAsync("api/secret");
        using var admin = await _host.Client.GetAsync("api/admin-only");

        Assert.AreEqual(HttpStatusCode.OK, secret.StatusCode);
        Assert.AreEqual(HttpStatusCode.OK, admin.StatusCode);
        StringAssert.Contains(_host.Output, "Keys: not enforced");
    }

    [TestMethod]
    public async Task WithoutKeysTheHostListensOnLoopbackOnlyAndSaysSo()
    {
        StringAssert.Contains(_host.Output, "listening on loopback only");
        var outward = (await Dns.GetHostAddressesAsync(Dns.GetHostName()))
            .FirstOrDefault(address => address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(address));
        if (outward is null)
        {
            Assert.Inconclusive("This machine has no non-loopback IPv4 address to try.");
        }
        using var client = new System.Net.Sockets.TcpClient();
        await Assert.ThrowsAsync<System.Net.Sockets.SocketException>(() => client.ConnectAsync(outward, _host.BaseAddress.Port));
    }

    [TestMethod]
    public void TheHostListsEachFunctionWithItsRouteOnceLoaded()
    {
        StringAssert.Contains(_host.Output, "Functions loaded: 12");
        StringAssert.Contains(_host.Output, $"Echo: [GET,POST] {_host.BaseAddress}api/echo/{{id:int}} (authLevel anonymous)");
        StringAssert.Contains(_host.Output, $"Secret: [GET] {_host.BaseAddress}api/secret (authLevel function)");
        StringAssert.Contains(_host.Output, "Tick: timerTrigger %Timers:Tick:Schedule%");
    }

    [TestMethod]
    public async Task EachRequestGetsOneLineWithMethodPathStatusAndTime()
    {
        using var response = await _host.Client.GetAsync("api/echo/9001?page=logged");

        var line = await _host.WaitForLineAsync(l => l.StartsWith("[http] GET /api/echo/9001", StringComparison.Ordinal));
        StringAssert.Matches(line, new System.Text.RegularExpressions.Regex(@"^\[http\] GET /api/echo/9001\?page=logged 200 \d+ ms$"));
    }
}
