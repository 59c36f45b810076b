using System.Diagnostics;
using System.Net;
using LocalFunctionsHost.Tests.Support;

namespace LocalFunctionsHost.Tests;

/// <summary>The worker's life as the host sees it: a crash at start, a death later, an orderly stop.</summary>
[TestClass]
public sealed class LifecycleTests
{
    [TestMethod]
    public async Task AWorkerThatCrashesAtStartMakesTheHostExitNonZeroWithAMessage()
    {
        await using var host = await HostProcess.StartAsync(
            ["--no-timers"], new Dictionary<string, string?> { ["TEST_WORKER_CRASH_AT_START"] = "1" }, waitUntilReady: false);

        Assert.AreNotEqual(0, await host.WaitForExitAsync());
        StringAssert.Contains(host.Output, "Worker process died during start-up with exit code 5");
        StringAssert.Contains(host.Output, "[worker:stderr] TestWorker: crashing at start");
    }

    [TestMethod]
    public async Task AWorkerThatDiesLaterFailsThePendingRequestAndMakesTheHostExitNonZero()
    {
        await using var host = await HostProcess.StartAsync(["--no-timers"]);

        using var response = await host.Client.GetAsync("api/dies");

        Assert.IsTrue(response.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable, response.StatusCode.ToString());
        Assert.AreEqual("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.AreNotEqual(0, await host.WaitForExitAsync());
        StringAssert.Contains(host.Output, "Worker process exited unexpectedly with code 3");
    }

    [TestMethod]
    public async Task SigtermTerminatesTheWorkerAndTheHostExitsZero()
    {
        await using var host = await HostProcess.StartAsync(["--no-timers"]);
        var workerId = host.WorkerId;

        host.SendSigterm();

        Assert.AreEqual(0, await host.WaitForExitAsync());
        StringAssert.Contains(host.Output, "Shutting down (SIGTERM)");
        StringAssert.Contains(host.Output, "Worker process exited with code 0");
        Assert.IsFalse(IsRunning(workerId), "the worker process is still running");
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
