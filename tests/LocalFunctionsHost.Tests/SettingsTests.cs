using LocalFunctionsHost.Tests.Support;

namespace LocalFunctionsHost.Tests;

/// <summary>local.settings.json Values reach the worker and the timer schedules; the environment wins.</summary>
[TestClass]
public sealed class SettingsTests
{
    [TestMethod]
    public async Task LocalSettingsReachTheWorkerAndTheEnvironmentWinsOnConflict()
    {
        var folder = Directory.CreateTempSubdirectory("local-host-settings-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "local.settings.json"), """
            {
              "IsEncrypted": false,
              "Values": {
                "Greeting": "from the file",
                "Shared:Value": "from the file"
              }
            }
            """);
        var environment = new Dictionary<string, string?> { ["Shared__Value"] = "from the environment" };

        await using var host = await HostProcess.StartAsync(environment: environment, workingDirectory: folder);

        Assert.AreEqual("from the file", await host.Client.GetStringAsync("api/settings/Greeting"));
        Assert.AreEqual("from the environment", await host.Client.GetStringAsync("api/settings/Shared:Value"));
        StringAssert.Contains(host.Output, $"App settings: {Path.Combine(folder, "local.settings.json")}");
    }

    [TestMethod]
    public async Task ATimerScheduleCanComeFromLocalSettings()
    {
        var folder = Directory.CreateTempSubdirectory("local-host-settings-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "local.settings.json"), """
            { "Values": { "Timers:Tick:Schedule": "*/2 * * * * *" } }
            """);

        await using var host = await HostProcess.StartAsync(environment: new Dictionary<string, string?> { ["Timers__Tick__Schedule"] = null }, workingDirectory: folder);

        await host.WaitForLineAsync(line => line.EndsWith("tick 1", StringComparison.Ordinal));
        StringAssert.Contains(host.Output, "Tick: schedule '*/2 * * * * *'");
    }
}
