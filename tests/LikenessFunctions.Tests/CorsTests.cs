using System.Net;
using Likeness.Testing;

namespace LikenessFunctions.Tests;

[TestClass]
public sealed class CorsTests
{
    private static TestDatabase db = null!;
    private static AppProcess app = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext context)
    {
        db = await TestDatabase.CreateAsync(context.CancellationToken);
        app = await AppProcess.StartAsync(db.ConnectionString);
    }

    [ClassCleanup]
    public static async Task CleanupAsync()
    {
        await app.DisposeAsync();
        await db.DisposeAsync();
    }

    public static IEnumerable<object[]> AllowedOrigins => AppProcess.SampleCorsOrigins.Split(',').Select(origin => new object[] { origin });

    [TestMethod]
    [DynamicData(nameof(AllowedOrigins))]
    public async Task APreflightFromAnAllowedOriginIsAnsweredWithoutCredentials(string origin)
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/likeness/search");
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type,x-functions-key");

        using var response = await app.Client.SendAsync(preflight);

        Assert.AreEqual(HttpStatusCode.NoContent, response.StatusCode, app.Output);
        Assert.AreEqual(origin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        StringAssert.Contains(string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods")), "POST");
        StringAssert.Contains(string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")).ToLowerInvariant(), "x-functions-key");
        Assert.IsFalse(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [TestMethod]
    public async Task ACallFromAnAllowedOriginMayBeReadByThePage()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/health");
        request.Headers.Add("Origin", "http://localhost:5173");

        using var response = await app.Client.SendAsync(request);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, app.Output);
        Assert.AreEqual("http://localhost:5173", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [TestMethod]
    public async Task AnotherOriginGetsNoCorsHeaders()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/likeness/search");
        preflight.Headers.Add("Origin", "https://evil.example");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        using var call = new HttpRequestMessage(HttpMethod.Get, "/api/health");
        call.Headers.Add("Origin", "https://evil.example");

        using var preflightResponse = await app.Client.SendAsync(preflight);
        using var callResponse = await app.Client.SendAsync(call);

        Assert.IsFalse(preflightResponse.Headers.Contains("Access-Control-Allow-Origin"), app.Output);
        Assert.IsFalse(callResponse.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
