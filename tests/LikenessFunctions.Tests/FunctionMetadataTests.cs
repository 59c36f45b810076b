using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Likeness.Testing;
using LikenessFunctions.Tests.Deployment;
using NCrontab;

namespace LikenessFunctions.Tests;

/// <summary>
/// The worker's built <c>functions.metadata</c> against <see cref="FunctionContract"/>, and every
/// function called through the local host the way the Functions host calls it.
/// </summary>
[TestClass]
public sealed partial class FunctionMetadataTests
{
    private static TestDatabase database = null!;
    private static AppProcess app = null!;

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Token => TestContext.CancellationToken;

    public static IEnumerable<object[]> HttpFunctionMethods =>
        FunctionContract.HttpFunctions.SelectMany(f => f.Methods!.Select(method => new object[] { f.Name, method }));

    public static IEnumerable<object[]> Timers => FunctionContract.Timers.Select(f => new object[] { f.Name });

    [ClassInitialize]
    public static async Task StartAppAsync(TestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        database = await TestDatabase.CreateAsync(context.CancellationToken);
        app = await AppProcess.StartAsync(database.ConnectionString);
    }

    [ClassCleanup]
    public static async Task StopAppAsync()
    {
        await app.DisposeAsync();
        await database.DisposeAsync();
    }

    [TestMethod]
    public void TheBuiltMetadataDeclaresExactlyTheContractsFunctions()
    {
        var metadata = JsonNode.Parse(File.ReadAllText(Path.Combine(AppProcess.WorkerDirectory, "functions.metadata")))!.AsArray()
            .Select(f => f!.AsObject())
            .ToDictionary(f => (string)f["name"]!);

        CollectionAssert.AreEquivalent(FunctionContract.All.Select(f => f.Name).ToArray(), metadata.Keys.ToArray());
        foreach (var expected in FunctionContract.All)
        {
            var trigger = metadata[expected.Name]["bindings"]!.AsArray().Select(b => b!.AsObject()).Single(b => ((string)b["type"]!).EndsWith("Trigger", StringComparison.Ordinal));
            Assert.AreEqual(expected.Trigger, (string?)trigger["type"], expected.Name);
            Assert.AreEqual("In", (string?)trigger["direction"], expected.Name);
            Assert.AreEqual(expected.Route, (string?)trigger["route"], expected.Name);
            Assert.AreEqual(expected.AuthLevel, (string?)trigger["authLevel"], expected.Name);
            CollectionAssert.AreEqual(expected.Methods, trigger["methods"]?.AsArray().Select(m => (string)m!).ToArray(), expected.Name);
            Assert.AreEqual(expected.ScheduleSetting is { } setting ? $"%{setting}%" : null, (string?)trigger["schedule"], expected.Name);
        }
    }

    [TestMethod]
    public void TheRoutePrefixOfHostJsonIsTheOneTheAppLinksWith()
    {
        var hostJson = JsonNode.Parse(File.ReadAllText(Repository.PathOf("host.json")))!;

        Assert.AreEqual(Routes.Prefix, (string?)hostJson["extensions"]!["http"]!["routePrefix"]);
        Assert.IsNull(hostJson["customHandler"], "a standard isolated-worker host.json");
    }

    [TestMethod]
    [DynamicData(nameof(Timers))]
    public void EveryTimerScheduleIsSixFieldNcrontabInTheLocalSettingsAndInAzure(string name)
    {
        var setting = FunctionContract.Timers.Single(f => f.Name == name).ScheduleSetting!.Replace(":", "__", StringComparison.Ordinal);

        Assert.IsTrue(AppProcess.SampleSettings.TryGetValue(setting, out var local), $"local.settings.sample.json lacks {setting}");
        Assert.IsTrue(Repository.BicepAppSettings().TryGetValue(setting, out var azure), $"infra/ sets no {setting}: the host would not start {name}");
        Assert.AreEqual(local, azure, $"{setting}: the same default locally and in Azure");
        Assert.HasCount(6, local.Split(' ', StringSplitOptions.RemoveEmptyEntries), local);
        Assert.IsNotNull(CrontabSchedule.TryParse(local, new CrontabSchedule.ParseOptions { IncludingSeconds = true }), local);
    }

    /// <summary>
    /// A declared method reaches the function: the host answers 405 for an undeclared one and an
    /// empty 404 when no route matches. Bad input must not be a 500 either.
    /// </summary>
    [TestMethod]
    [DynamicData(nameof(HttpFunctionMethods))]
    public async Task EveryHttpFunctionAnswersEachOfItsMethodsThroughTheHost(string name, string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), SamplePath(FunctionContract.HttpFunctions.Single(f => f.Name == name)));
        if (method == "post")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        using var response = await app.Client.SendAsync(request, Token);
        var body = await response.Content.ReadAsStringAsync(Token);

        var what = $"{method} {request.RequestUri} answered {(int)response.StatusCode}: {body}{Environment.NewLine}{app.Output}";
        Assert.AreNotEqual(HttpStatusCode.MethodNotAllowed, response.StatusCode, what);
        Assert.IsFalse(response.StatusCode == HttpStatusCode.NotFound && body.Length == 0 && method != "head", $"No function matched. {what}");
        Assert.IsLessThan(500, (int)response.StatusCode, what);
    }

    [TestMethod]
    [DynamicData(nameof(HttpFunctionMethods))]
    public async Task OnlyAnonymousFunctionsAnswerWithoutAFunctionKey(string name, string method)
    {
        var function = FunctionContract.HttpFunctions.Single(f => f.Name == name);
        using var client = new HttpClient { BaseAddress = app.Client.BaseAddress };
        using var request = new HttpRequestMessage(new HttpMethod(method), SamplePath(function));

        using var response = await client.SendAsync(request, Token);

        Assert.AreEqual(function.AuthLevel == "Anonymous", response.StatusCode != HttpStatusCode.Unauthorized, $"{name} {method}: {(int)response.StatusCode}");
    }

    [TestMethod]
    [DynamicData(nameof(Timers))]
    public async Task EveryTimerRunsOnDemandThroughTheHostsAdminApi(string name)
    {
        var logs = await app.InvokeAsync(name);

        StringAssert.Contains(logs, $"Timer {name}: ");
    }

    /// <summary>The function's path with each <c>{parameter}</c> filled in.</summary>
    private static string SamplePath(FunctionContract function) =>
        RouteParameter().Replace(function.ApiPath, match => match.Groups["name"].Value switch
        {
            "filename" => "no-such-file.jpg",
            var other => $"no-such-{other.ToLowerInvariant()}",
        });

    [GeneratedRegex(@"\{(?<name>[A-Za-z]+)(?::[^}]*)?\}")]
    private static partial Regex RouteParameter();
}
