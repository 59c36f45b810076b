using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Likeness.Testing;
using LikenessFunctions.Functions;
using LikenessFunctions.Tests.Deployment;
using NCrontab;

namespace LikenessFunctions.Tests;

/// <summary>
/// Every function of <see cref="FunctionCatalog"/> against the running app (the way the Functions
/// host calls it) and against the function.json rules the host applies.
/// </summary>
[TestClass]
public sealed partial class FunctionDefinitionTests
{
    /// <summary>What the Functions host POSTs to a custom handler for a timer trigger.</summary>
    public const string TimerPayload = """{"Data":{"timer":{"Schedule":{},"ScheduleStatus":null,"IsPastDue":false}},"Metadata":{}}""";

    private static readonly string[] HttpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE"];

    private static TestDatabase database = null!;
    private static AppProcess app = null!;

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Token => TestContext.CancellationToken;

    public static IEnumerable<object[]> HttpFunctions =>
        FunctionCatalog.All.Where(f => f.Trigger == FunctionTrigger.Http).SelectMany(f => f.Methods.Select(method => new object[] { f.Name, method }));

    public static IEnumerable<object[]> TimerFunctions => FunctionCatalog.Timers.Select(f => new object[] { f.Name });

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
    [DynamicData(nameof(HttpFunctions))]
    public async Task EveryHttpFunctionRouteReachesAnEndpointWithItsDeclaredMethod(string name, string method) =>
        await AssertReachesAnEndpointAsync(app.Client, FunctionCatalog.All.Single(f => f.Name == name), method, () => app.Output, Token);

    [TestMethod]
    [DynamicData(nameof(TimerFunctions))]
    public async Task EveryTimerAnswersTheHostsInvocationPayload(string name)
    {
        using var response = await app.Client.PostAsync($"/{name}", new StringContent(TimerPayload, Encoding.UTF8, "application/json"), Token);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Token))!.AsObject();

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, $"{body}{Environment.NewLine}{app.Output}");
        CollectionAssert.AreEquivalent(new[] { "Outputs", "Logs", "ReturnValue" }, body.Select(p => p.Key).ToArray());
        Assert.AreEqual(JsonValueKind.Object, body["Outputs"]!.GetValueKind());
        Assert.IsEmpty(body["Outputs"]!.AsObject());
        Assert.AreEqual(JsonValueKind.Array, body["Logs"]!.GetValueKind());
        Assert.IsTrue(body["Logs"]!.AsArray().All(log => log!.GetValueKind() == JsonValueKind.String));
        Assert.IsNull(body["ReturnValue"]);
    }

    [TestMethod]
    public void EveryEmittedFunctionJsonObeysTheHostsRules()
    {
        var appRoot = Directory.CreateTempSubdirectory("function-json-").FullName;
        try
        {
            FunctionJsonWriter.Write(appRoot, FunctionCatalog.All);

            AssertValidFunctionsAppRoot(appRoot);
        }
        finally
        {
            Directory.Delete(appRoot, recursive: true);
        }
    }

    [TestMethod]
    public void FunctionNamesAndRoutesAreUnique()
    {
        Assert.HasCount(FunctionCatalog.All.Count, FunctionCatalog.All.Select(f => f.Name).Distinct(StringComparer.OrdinalIgnoreCase));
        var routes = FunctionCatalog.All.Where(f => f.Trigger == FunctionTrigger.Http)
            .SelectMany(f => f.Methods.Select(m => $"{m} {RouteParameter().Replace(f.Route!, "{}")}"))
            .ToList();
        Assert.HasCount(routes.Count, routes.Distinct(StringComparer.OrdinalIgnoreCase), string.Join(", ", routes));
    }

    /// <summary>
    /// Calls the function's route with a declared method as the host would forward it and checks
    /// that an endpoint answered: routing itself answers 405 for a wrong method and an empty 404
    /// when nothing matches. Bad input must not be a 500 either.
    /// </summary>
    public static async Task AssertReachesAnEndpointAsync(HttpClient client, FunctionDefinition function, string method, Func<string> appOutput, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(appOutput);
        using var request = new HttpRequestMessage(new HttpMethod(method), SamplePath(function));
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);

        var what = $"{method} {request.RequestUri} answered {(int)response.StatusCode}: {body}{Environment.NewLine}{appOutput()}";
        Assert.AreNotEqual(HttpStatusCode.MethodNotAllowed, response.StatusCode, what);
        // A HEAD response has no body, so only GET/POST/... can tell an endpoint's 404 from routing's.
        Assert.IsFalse(response.StatusCode == HttpStatusCode.NotFound && body.Length == 0 && method != "HEAD", $"No endpoint matched. {what}");
        Assert.IsLessThan(500, (int)response.StatusCode, what);
    }

    /// <summary>
    /// The rules the Functions host applies to a custom handler's app root: one folder per function,
    /// named as the function; HTTP functions as exactly one <c>httpTrigger</c> in and one <c>http</c>
    /// out (the condition for pass-through); timers as one <c>timerTrigger</c> whose schedule is a
    /// six-field NCRONTAB expression, directly or through an app setting the Bicep sets.
    /// </summary>
    public static void AssertValidFunctionsAppRoot(string appRoot)
    {
        var folders = Directory.EnumerateFiles(appRoot, FunctionJsonWriter.FileName, SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(appRoot, Path.GetDirectoryName(file)!))
            .ToList();
        CollectionAssert.AreEquivalent(FunctionCatalog.All.Select(f => f.Name).ToArray(), folders.ToArray(), "one folder per function, directly under the app root");

        foreach (var function in FunctionCatalog.All)
        {
            Assert.IsTrue(FunctionName().IsMatch(function.Name), $"'{function.Name}' is not a valid function name.");
            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(appRoot, function.Name, FunctionJsonWriter.FileName)))!.AsObject();
            var bindings = json["bindings"]!.AsArray().Select(b => b!.AsObject()).ToList();
            Assert.IsTrue(bindings.All(b => b["name"] is not null && b["type"] is not null && b["direction"] is not null), $"{function.Name}: {json}");
            if (function.Trigger == FunctionTrigger.Http)
            {
                AssertHttpBindings(function, bindings);
            }
            else
            {
                AssertTimerBindings(function, bindings);
            }
        }
    }

    private static void AssertHttpBindings(FunctionDefinition function, List<JsonObject> bindings)
    {
        Assert.HasCount(2, bindings, function.Name);
        var trigger = bindings.Single(b => (string?)b["type"] == "httpTrigger");
        var output = bindings.Single(b => (string?)b["type"] == "http");
        Assert.AreEqual("in", (string?)trigger["direction"], function.Name);
        Assert.AreEqual("out", (string?)output["direction"], function.Name);
        Assert.AreEqual(function.AuthLevel == FunctionAuthLevel.Anonymous ? "anonymous" : "function", (string?)trigger["authLevel"], function.Name);

        var methods = trigger["methods"]!.AsArray().Select(m => (string)m!).ToList();
        CollectionAssert.AreEquivalent(function.Methods.Select(m => m.ToLowerInvariant()).ToArray(), methods.ToArray(), function.Name);
        Assert.IsTrue(methods.All(m => HttpMethods.Contains(m.ToUpperInvariant())), function.Name);

        var route = (string)trigger["route"]!;
        Assert.AreEqual(function.Route, route, function.Name);
        Assert.IsFalse(route.StartsWith('/') || route.StartsWith("api/", StringComparison.OrdinalIgnoreCase), $"{function.Name}: the host adds the api prefix itself.");
    }

    private static void AssertTimerBindings(FunctionDefinition function, List<JsonObject> bindings)
    {
        var trigger = bindings.Single();
        Assert.AreEqual("timerTrigger", (string?)trigger["type"], function.Name);
        Assert.AreEqual("in", (string?)trigger["direction"], function.Name);
        Assert.AreEqual(FunctionJsonWriter.TimerBindingName, (string?)trigger["name"], function.Name);

        var schedule = (string)trigger["schedule"]!;
        var setting = AppSettingReference().Match(schedule);
        if (setting.Success)
        {
            // The host resolves %Section:Key% from its configuration, where the app setting Section__Key
            // appears with a colon; a name written with __ is never found (azure-functions-host#10246).
            Assert.DoesNotContain("__", setting.Groups["key"].Value, $"{function.Name}: {schedule}");
            var appSetting = setting.Groups["key"].Value.Replace(":", "__", StringComparison.Ordinal);
            Assert.IsTrue(Repository.BicepAppSettings().TryGetValue(appSetting, out var value),
                $"{function.Name}'s schedule reads {schedule}, but infra/ sets no app setting {appSetting}: the host would not start the timer.");
            schedule = value;
        }
        Assert.AreEqual(6, schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length, $"{function.Name}: '{schedule}' is not six-field NCRONTAB.");
        Assert.IsNotNull(CrontabSchedule.TryParse(schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true }), $"{function.Name}: '{schedule}'");
    }

    /// <summary>The function's route with each <c>{parameter}</c> filled in, under the host's <c>api</c> prefix.</summary>
    private static string SamplePath(FunctionDefinition function) =>
        RouteParameter().Replace(function.ApiPath(), match => match.Groups["name"].Value switch
        {
            "filename" => "no-such-file.jpg",
            var other => $"no-such-{other.ToLowerInvariant()}",
        });

    [GeneratedRegex(@"\{(?<name>[A-Za-z]+)(?::[^}]*)?\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex("^%(?<key>[^%]+)%$")]
    private static partial Regex AppSettingReference();

    // The host's rule for function names.
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,127}$")]
    private static partial Regex FunctionName();
}
