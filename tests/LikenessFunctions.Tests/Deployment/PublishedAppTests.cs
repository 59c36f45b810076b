using System.Diagnostics;
using System.Net;
using System.Reflection.PortableExecutable;
using System.Text.Json.Nodes;
using Likeness.Testing;

namespace LikenessFunctions.Tests.Deployment;

/// <summary>
/// <c>dotnet publish functions/LikenessFunctions -c Release</c>, as azd runs it, must produce a
/// standard isolated-worker package that a Functions host runs as is.
/// </summary>
[TestClass]
public sealed class PublishedAppTests
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(5);
    private static string workDirectory = null!;
    private static string appRoot = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task PublishAsync(TestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        workDirectory = Directory.CreateTempSubdirectory("likeness-publish-").FullName;
        appRoot = Path.Combine(workDirectory, "app");
        // A private artifacts path keeps the publish away from the bin/obj folders of the build under test.
        var (exitCode, output) = await RunAsync(
            "dotnet",
            ["publish", Repository.PathOf("functions", "LikenessFunctions"), "-c", "Release", "-o", appRoot, "--artifacts-path", Path.Combine(workDirectory, "artifacts")],
            PublishTimeout,
            context.CancellationToken);
        Assert.AreEqual(0, exitCode, output);
    }

    [ClassCleanup]
    public static void DeleteWorkDirectory() => Directory.Delete(workDirectory, recursive: true);

    [TestMethod]
    public void ThePublishFolderIsAStandardIsolatedWorkerPackage()
    {
        Assert.AreEqual(File.ReadAllText(Repository.PathOf("host.json")), File.ReadAllText(Path.Combine(appRoot, "host.json")));
        var worker = JsonNode.Parse(File.ReadAllText(Path.Combine(appRoot, "worker.config.json")))!["description"]!;
        Assert.AreEqual("dotnet", (string?)worker["defaultExecutablePath"]);
        Assert.AreEqual("LikenessFunctions.dll", (string?)worker["defaultWorkerPath"]);
        Assert.IsTrue(File.Exists(Path.Combine(appRoot, "LikenessFunctions.dll")));
        Assert.IsTrue(File.Exists(Path.Combine(appRoot, "extensions.json")));
        Assert.IsTrue(Directory.Exists(Path.Combine(appRoot, ".azurefunctions")), "Flex Consumption's dotnet-isolated deployment expects .azurefunctions/");
        var functions = JsonNode.Parse(File.ReadAllText(Path.Combine(appRoot, "functions.metadata")))!.AsArray().Select(f => (string)f!["name"]!).ToArray();
        CollectionAssert.AreEquivalent(FunctionContract.All.Select(f => f.Name).ToArray(), functions);
        Assert.IsEmpty(Directory.EnumerateFiles(appRoot, "function.json", SearchOption.AllDirectories), "no custom-handler function folders");
    }

    [TestMethod]
    public void TheAppIsFrameworkDependentAndReadyToRunForLinuxX64()
    {
        var runtimeConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(appRoot, "LikenessFunctions.runtimeconfig.json")))!["runtimeOptions"]!;
        Assert.IsNull(runtimeConfig["includedFrameworks"], "self-contained");
        StringAssert.Contains(runtimeConfig.ToJsonString(), "Microsoft.AspNetCore.App");

        using var pe = new PEReader(File.OpenRead(Path.Combine(appRoot, "LikenessFunctions.dll")));
        Assert.IsGreaterThan(0, pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size, "no ReadyToRun code");
        // ReadyToRun marks the target OS by XOR-ing the machine type: AMD64 ^ 0x7B79 is linux-x64.
        Assert.AreEqual(0x8664 ^ 0x7B79, (int)pe.PEHeaders.CoffHeader.Machine);
    }

    [TestMethod]
    public async Task ThePublishedPackageServesItsFunctionsUnderAFunctionsHost()
    {
        await using var database = await TestDatabase.CreateAsync(TestContext.CancellationToken);
        await using var app = await AppProcess.StartAsync(database.ConnectionString, scriptRoot: appRoot);

        using var health = await app.Client.GetAsync("/api/health", TestContext.CancellationToken);
        Assert.AreEqual(HttpStatusCode.OK, health.StatusCode, app.Output);
        StringAssert.Contains(await app.InvokeAsync("PromoteRetryableEvents"), "promoted 0");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string fileName, string[] arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(fileName, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{fileName} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
