using LocalFunctionsHost.Tests.Support;

namespace LocalFunctionsHost.Tests;

/// <summary>local.settings.json Values reach the worker and the timer schedules; the environment wins.</summary>
[TestClass]
public sealed class SettingsTests
{
    [TestMethod]
    public async Task LocalSettingsReachTheWorkerAndTheEnvironmentWinsOnConflict()
    {
        using var folder = new TempFolder();
        await File.WriteAllTextAsync(Path.Combine(folder.Path, "local.settings.json"), """
            {
              "IsEncrypted": false,
              "Values": {
                "Greeting": "from the file",
                "Shared:Value": "from the file"
              }
            }
            """);
        var environment = new Dictionary<string, string?> { ["Shared__Value"] = "from the environment" };

        await using var host = await HostProcess.StartAsync(environment: environment, workingDirectory: folder.Path);

        Assert.AreEqual("from the file", await host.Client.GetStringAsync("api/settings/Greeting"));
        Assert.AreEqual("from the environment", await host.Client.GetStringAsync("api/settings/Shared:Value"));
        StringAssert.Contains(host.Output, $"App settings: {Path.Combine(folder.Path, "local.settings.json")}");
    }

    [TestMethod]
    public async Task ATimerScheduleCanComeFromLocalSettings()
    {
        using var folder = new TempFolder();
        await File.WriteAllTextAsync(Path.Combine(folder.Path, "local.settings.json"), """
            { "Values": { "Timers:Tick:Schedule": "*/2 * * * * *" } }
            """);

        await using var host = await HostProcess.StartAsync(environment: new Dictionary<string, string?> { ["Timers__Tick__Schedule"] = null }, workingDirectory: folder.Path);

        await host.WaitForLineAsync(line => line.EndsWith("tick 1", StringComparison.Ordinal));
        StringAssert.Contains(host.Output, "Tick: schedule '*/2 * * * * *'");
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("local-host-settings-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
