using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection.PortableExecutable;
using System.Text;
using System.Text.Json.Nodes;
using Likeness.Testing;
using LikenessFunctions.Functions;

namespace LikenessFunctions.Tests.Deployment;

/// <summary>
/// <c>dotnet publish functions/LikenessFunctions -c Release</c>, as azd runs it, must produce a
/// folder the Functions host can run as is: host.json, the function folders and the app.
/// </summary>
[TestClass]
public sealed class PublishedAppTests
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(5);
    private static string workDirectory = null!;
    private static string appRoot = null!;

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Token => TestContext.CancellationToken;

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
    public void ThePublishFolderHoldsHostJsonTheFunctionFoldersAndTheApp()
    {
        Assert.AreEqual(File.ReadAllText(Repository.PathOf("host.json")), File.ReadAllText(Path.Combine(appRoot, "host.json")));
        Assert.IsTrue(File.Exists(Path.Combine(appRoot, "LikenessFunctions.dll")));
        Assert.IsTrue(Directory.Exists(Path.Combine(appRoot, ".azurefunctions")), "Flex Consumption's dotnet-isolated deployment expects .azurefunctions/");

        FunctionDefinitionTests.AssertValidFunctionsAppRoot(appRoot);
    }

    [TestMethod]
    public void HostJsonStartsThePublishedDllAsACustomHandlerThatProxiesHttp()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(appRoot, "host.json")))!;
        var handler = host["customHandler"]!;

        Assert.AreEqual("dotnet", (string?)handler["description"]!["defaultExecutablePath"]);
        var arguments = handler["description"]!["arguments"]!.AsArray().Select(a => (string)a!).ToArray();
        CollectionAssert.AreEqual(new[] { "LikenessFunctions.dll" }, arguments);
        Assert.IsTrue(File.Exists(Path.Combine(appRoot, arguments[0])));
        Assert.IsTrue((bool)handler["enableProxyingHttpRequest"]!);
        Assert.AreEqual("api", (string?)host["extensions"]!["http"]!["routePrefix"]);
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
    public async Task ThePublishedAppServesEveryFunctionOnTheCustomHandlerPort()
    {
        await using var database = await TestDatabase.CreateAsync(Token);
        var port = FreePort();
        using var app = StartPublishedApp(port, database.ConnectionString);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        try
        {
            await WaitForHealthAsync(client);

            foreach (var function in FunctionCatalog.All.Where(f => f.Trigger == FunctionTrigger.Http))
            {
                foreach (var method in function.Methods)
                {
                    await FunctionDefinitionTests.AssertReachesAnEndpointAsync(client, function, method, () => string.Empty, Token);
                }
            }
            foreach (var timer in FunctionCatalog.Timers)
            {
                using var response = await client.PostAsync($"/{timer.Name}", new StringContent(FunctionDefinitionTests.TimerPayload, Encoding.UTF8, "application/json"), Token);

                Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, timer.Name);
            }
        }
        finally
        {
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync(CancellationToken.None);
        }
    }

    private Process StartPublishedApp(int port, string connectionString)
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(appRoot, "LikenessFunctions.dll")])
        {
            // As the host starts it: from the app root, with the port it chose.
            WorkingDirectory = appRoot,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        info.Environment["ConnectionStrings__Likeness"] = connectionString;
        info.Environment["MediaStorage__ConnectionString"] = "UseDevelopmentStorage=true";
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitForHealthAsync(HttpClient client)
    {
        // The Functions host gives a custom handler 30 s to answer on its port.
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                using var response = await client.GetAsync("/api/health", Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100, Token);
        }
        Assert.Fail("The published app did not answer /api/health with 200 within 30 s.");
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
