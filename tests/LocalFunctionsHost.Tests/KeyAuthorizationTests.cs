using System.Net;
using LocalFunctionsHost.Tests.Support;

namespace LocalFunctionsHost.Tests;

/// <summary>Function and master keys, enforced because the host was given them.</summary>
[TestClass]
public sealed class KeyAuthorizationTests
{
    private const string FunctionKey = "function-key-for-tests";
    private const string MasterKey = "master-key-for-tests";
    private static HostProcess _host = null!;

    [ClassInitialize]
    public static async Task StartHostAsync(TestContext context) =>
        _host = await HostProcess.StartAsync(["--no-timers", "--function-key", FunctionKey, "--master-key", MasterKey]);

    [ClassCleanup]
    public static async Task StopHostAsync() => await _host.DisposeAsync();

    [TestMethod]
    public void TheHostSaysAtStartThatKeysAreEnforced() => StringAssert.Contains(_host.Output, "Keys: enforced");

    [TestMethod]
    public async Task AFunctionLevelFunctionWithoutAKeyAnswers401() =>
        Assert.AreEqual(HttpStatusCode.Unauthorized, await StatusAsync("api/secret"));

    [TestMethod]
    public async Task AWrongKeyAnswers401InTheHeaderAndAsCode()
    {
        Assert.AreEqual(HttpStatusCode.Unauthorized, await StatusAsync("api/secret", "wrong"));
        Assert.AreEqual(HttpStatusCode.Unauthorized, await StatusAsync("api/secret?code=wrong"));
    }

    [TestMethod]
    public async Task TheFunctionKeyIsAcceptedInTheHeader() =>
        Assert.AreEqual(HttpStatusCode.OK, await StatusAsync("api/secret", FunctionKey));

    [TestMethod]
    public async Task TheFunctionKeyIsAcceptedAsTheCodeParameter() =>
        Assert.AreEqual(HttpStatusCode.OK, await StatusAsync($"api/secret?code={FunctionKey}"));

    [TestMethod]
    public async Task TheMasterKeyOpensFunctionLevelFunctionsToo() =>
        Assert.AreEqual(HttpStatusCode.OK, await StatusAsync("api/secret", MasterKey));

    [TestMethod]
    public async Task AnAnonymousFunctionNeverNeedsAKey()
    {
        Assert.AreEqual(HttpStatusCode.OK, await StatusAsync("api/echo/1"));
        Assert.AreEqual(HttpStatusCode.OK, await StatusAsync("api/echo/1", "wrong"));
    }

    [TestMethod]
    public async Task AnAdminLevelFunctionNeedsTheMasterKey()
    {
        Assert.AreEqual(HttpStatusCode.Unauthorized, await StatusAsync("api/admin-only"));
        Assert.AreEqual(HttpStatusCode.Unauthorized, await StatusAsync("api/admin-only", FunctionKey));
        Assert.AreEqual(HttpStatusCode.OK, await StatusAsync("api/admin-only", MasterKey));
    }

    [TestMethod]
    public async Task TheAdminApiNeedsTheMasterKey()
    {
        Assert.AreEqual(HttpStatusCode.Unauthorized, await RunTickAsync(null));
        Assert.AreEqual(HttpStatusCode.Unauthorized, await RunTickAsync(FunctionKey));
        Assert.AreEqual(HttpStatusCode.OK, await RunTickAsync(MasterKey));
    }

    private static async Task<HttpStatusCode> StatusAsync(string path, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key is not null)
        {
            request.Headers.Add("x-functions-key", key);
        }

        using var response = await _host.Client.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> RunTickAsync(string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "admin/functions/Tick?wait=true") { Content = new StringContent("""{"input":""}""") };
        if (key is not null)
        {
            request.Headers.Add("x-functions-key", key);
        }

        using var response = await _host.Client.SendAsync(request);
        return response.StatusCode;
    }
}
