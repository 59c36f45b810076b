using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LocalFunctionsHost.Tests.Support;

namespace LocalFunctionsHost.Tests;

/// <summary>POST /admin/functions/{name}: 202 as the Functions host answers, and the local ?wait=true.</summary>
[TestClass]
public sealed class AdminApiTests
{
    private static HostProcess _host = null!;

    [ClassInitialize]
    public static async Task StartHostAsync(TestContext context) => _host = await HostProcess.StartAsync(["--no-timers"]);

    [ClassCleanup]
    public static async Task StopHostAsync() => await _host.DisposeAsync();

    [TestMethod]
    public async Task RunningAFunctionAnswers202AtOnceAndTheRunHappens()
    {
        using var response = await RunAsync("Broken");

        Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode);
        await _host.WaitForLineAsync(line => line.Contains("Executed 'Broken' (Failed", StringComparison.Ordinal));
    }

    [TestMethod]
    public async Task WaitingForARunAnswersItsOutcomeWithItsLogsInOrder()
    {
        using var response = await RunAsync("Tick", wait: true);
        var run = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("Succeeded", run.GetProperty("status").GetString());
        Assert.IsTrue(Guid.TryParse(run.GetProperty("invocationId").GetString(), out _));
        Assert.AreEqual(JsonValueKind.Null, run.GetProperty("error").ValueKind);
        var logs = run.GetProperty("logs").EnumerateArray().Select(l => l.GetString()!).ToList();
        Assert.HasCount(2, logs);
        StringAssert.StartsWith(logs[0], "tick ");
        // The TimerInfo payload reached the function: it saw a next occurrence.
        StringAssert.StartsWith(logs[1], "timer status: next 20");
    }

    [TestMethod]
    public async Task AFailingRunReportsFailedWithItsErrorAndLogs()
    {
        using var response = await RunAsync("broken", wait: true);
        var run = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("Failed", run.GetProperty("status").GetString());
        Assert.AreEqual("Broken always fails", run.GetProperty("error").GetString());
        Assert.AreEqual("Broken is about to fail", run.GetProperty("logs")[0].GetString());
    }

    [TestMethod]
    public async Task AnUnknownFunctionAnswers404()
    {
        using var response = await RunAsync("NoSuchFunction");

        Assert.AreEqual(HttpStatusCode.NotFound, response.StatusCode);
    }

    [TestMethod]
    public async Task AnHttpFunctionAnswers400()
    {
        using var response = await RunAsync("Echo");

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static Task<HttpResponseMessage> RunAsync(string function, bool wait = false) =>
        _host.Client.PostAsync($"admin/functions/{function}{(wait ? "?wait=true" : "")}", new StringContent("""{"input":""}"""));
}
