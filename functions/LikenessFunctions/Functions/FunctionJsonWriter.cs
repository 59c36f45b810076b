using System.Text.Json;
using System.Text.Json.Nodes;

namespace LikenessFunctions.Functions;

/// <summary>
/// Writes the <c>{FunctionName}/function.json</c> folders the Functions host indexes, next to
/// <c>host.json</c> in the published app: <c>dotnet LikenessFunctions.dll functions-json [dir]</c>.
/// </summary>
public static class FunctionJsonWriter
{
    public const string CommandName = "functions-json";
    public const string FileName = "function.json";

    /// <summary>
    /// Pass-through (<c>enableProxyingHttpRequest</c>) requires exactly this pair: one
    /// <c>httpTrigger</c> in, one <c>http</c> out.
    /// </summary>
    public const string HttpTriggerBindingName = "req";
    public const string HttpOutputBindingName = "res";

    /// <summary>The key under <c>Data</c> in the host's invocation payload.</summary>
    public const string TimerBindingName = "timer";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static JsonObject ToFunctionJson(FunctionDefinition function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return function.Trigger switch
        {
            FunctionTrigger.Http => Http(function),
            FunctionTrigger.Timer => Timer(function),
            _ => throw new InvalidOperationException($"{function.Name} has trigger {function.Trigger}, which has no function.json shape."),
        };
    }

    /// <summary>Writes one folder per function under <paramref name="appRoot"/>; returns the files written.</summary>
    public static IReadOnlyList<string> Write(string appRoot, IEnumerable<FunctionDefinition> functions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(appRoot);
        ArgumentNullException.ThrowIfNull(functions);
        var written = new List<string>();
        foreach (var function in functions)
        {
            var folder = Directory.CreateDirectory(Path.Combine(appRoot, function.Name));
            var file = Path.Combine(folder.FullName, FileName);
            File.WriteAllText(file, ToFunctionJson(function).ToJsonString(Indented) + "\n");
            written.Add(file);
        }
        return written;
    }

    /// <summary>
    /// The <c>functions-json [dir]</c> command; without a directory it writes next to the app's
    /// own dll, which in a publish folder is the Functions app root.
    /// </summary>
    public static Task<int> RunAsync(WebApplication app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        // The command table hands commands the app, not the arguments; the directory follows the command name.
        var args = Environment.GetCommandLineArgs();
        var index = Array.FindIndex(args, arg => string.Equals(arg, CommandName, StringComparison.OrdinalIgnoreCase));
        var appRoot = index >= 0 && index + 1 < args.Length ? args[index + 1] : AppContext.BaseDirectory;
        cancellationToken.ThrowIfCancellationRequested();

        var written = Write(appRoot, FunctionCatalog.All);
        Console.WriteLine($"Wrote {written.Count} {FileName} file(s) under {Path.GetFullPath(appRoot)}");
        return Task.FromResult(0);
    }

    private static JsonObject Http(FunctionDefinition function)
    {
        if (string.IsNullOrEmpty(function.Route) || function.Methods.Count == 0)
        {
            throw new InvalidOperationException($"HTTP function {function.Name} needs a route and at least one method.");
        }
        return new JsonObject
        {
            ["bindings"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "httpTrigger",
                    ["direction"] = "in",
                    ["name"] = HttpTriggerBindingName,
                    ["authLevel"] = function.AuthLevel == FunctionAuthLevel.Anonymous ? "anonymous" : "function",
                    ["methods"] = new JsonArray(function.Methods.Select(method => (JsonNode)method.ToLowerInvariant()).ToArray()),
                    ["route"] = function.Route,
                },
                new JsonObject
                {
                    ["type"] = "http",
                    ["direction"] = "out",
                    ["name"] = HttpOutputBindingName,
                }),
        };
    }

    /// <summary>
    /// <c>%Timers:Name:Schedule%</c>: the schedule comes from the app setting
    /// <see cref="FunctionDefinition.ScheduleSetting"/>, so it can change without a new package. The
    /// host looks the name up in its configuration, where <c>Timers__Name__Schedule</c> appears as
    /// <c>Timers:Name:Schedule</c>; a name written with <c>__</c> would not be found.
    /// </summary>
    public static string ScheduleExpression(FunctionDefinition timer)
    {
        ArgumentNullException.ThrowIfNull(timer);
        return $"%{timer.ScheduleSetting.Replace("__", ":", StringComparison.Ordinal)}%";
    }

    private static JsonObject Timer(FunctionDefinition function) => new()
    {
        ["bindings"] = new JsonArray(
            new JsonObject
            {
                ["type"] = "timerTrigger",
                ["direction"] = "in",
                ["name"] = TimerBindingName,
                ["schedule"] = ScheduleExpression(function),
            }),
    };
}
