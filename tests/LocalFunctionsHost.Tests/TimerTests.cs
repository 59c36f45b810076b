using System.Net.Http.Json;
using System.Text.Json;
using LocalFunctionsHost.Tests.Support;

namespace LocalFunctionsHost.Tests;

/// <summary>Timer functions on their NCRONTAB schedules, resolved from app settings.</summary>
[TestClass]
public sealed class TimerTests
{
    private static readonly Dictionary<string, string?> EverySecond = new() { ["Timers__Tick__Schedule"] = "* * * * * *" };

    [TestMethod]
    public async Task ATimerFiresOnTheScheduleItsSettingGives()
    {
        await using var host = await HostProcess.StartAsync(environment: EverySecond);

        await host.WaitForLineAsync(line => line.EndsWith("tick 1", StringComparison.Ordinal));
        await host.WaitForLineAsync(line => line.EndsWith("tick 2", StringComparison.Ordinal));
        StringAssert.Contains(host.Output, "Tick: schedule '* * * * * *'");
        StringAssert.Contains(host.Output, "Executing 'Tick' (Reason='Timer fired at ");
    }

    [TestMethod]
    public async Task ATimerRunsOneAtATimeAndSkipsTicksThatComeWhileItRuns()
    {
        await using var host = await HostProcess.StartAsync(environment: new Dictionary<string, string?> { ["Timers__Slow__Schedule"] = "* * * * * *" });

        // Each run takes 2.5 s against a 1 s schedule: ticks are skipped, and runs never overlap.
        await host.WaitForLineAsync(line => line.Contains("Slow: the previous run is still going; skipping", StringComparison.Ordinal));
        await host.WaitForLineAsync(line => line.EndsWith("slow run ends", StringComparison.Ordinal));
        var runs = host.Output.Split('\n').Where(line => line.EndsWith("slow run starts", StringComparison.Ordinal) || line.EndsWith("slow run ends", StringComparison.Ordinal)).ToList();
        for (var i = 0; i < runs.Count; i++)
        {
            StringAssert.EndsWith(runs[i], i % 2 == 0 ? "slow run starts" : "slow run ends", string.Join('\n', runs));
        }
    }

    [TestMethod]
    public async Task NoTimerFiresWithNoTimers()
    {
        await using var host = await HostProcess.StartAsync(["--no-timers"], EverySecond);

        // An observation window of several scheduled seconds; then the first run must be the one asked for.
        await Task.Delay(TimeSpan.FromSeconds(3));
        using var response = await host.Client.PostAsync("admin/functions/Tick?wait=true", new StringContent("{}"));
        var run = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.AreEqual("tick 1", run.GetProperty("logs")[0].GetString());
        Assert.DoesNotContain("Timer fired", host.Output);
        StringAssert.Contains(host.Output, "Timers: not scheduled (--no-timers)");
    }
}
