using System.Text.Json;
using LocalFunctionsHost.Rpc;

namespace LocalFunctionsHost;

internal enum AuthLevel
{
    Anonymous,
    Function,
    Admin,
}

/// <summary>An HTTP trigger: where it is served and who may call it.</summary>
internal sealed record HttpTrigger(string Route, IReadOnlyList<string> Methods, AuthLevel AuthLevel);

/// <summary>A function the worker loaded, as the host needs to know it.</summary>
internal sealed record FunctionInfo(string Name, string FunctionId, string TriggerType, string TriggerName, HttpTrigger? Http, string? Schedule)
{
    public bool IsTimer => TriggerType.Equals("timerTrigger", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads the trigger from the worker's raw bindings (JSON, one string per binding).</summary>
    public static FunctionInfo FromMetadata(RpcFunctionMetadata metadata)
    {
        foreach (var raw in metadata.RawBindings)
        {
            using var binding = JsonDocument.Parse(raw);
            var root = binding.RootElement;
            var type = Text(root, "type") ?? "";
            if (!type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase) || !IsInput(root))
            {
                continue;
            }

            var name = Text(root, "name") ?? "trigger";
            var http = type.Equals("httpTrigger", StringComparison.OrdinalIgnoreCase)
                ? new HttpTrigger(
                    (Text(root, "route") ?? metadata.Name).Trim('/'),
                    Property(root, "methods") is { ValueKind: JsonValueKind.Array } methods
                        ? [.. methods.EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant())]
                        : [],
                    ParseAuthLevel(Text(root, "authLevel")))
                : null;
            return new FunctionInfo(metadata.Name, metadata.FunctionId, type, name, http, Text(root, "schedule"));
        }

        throw new InvalidOperationException($"Function '{metadata.Name}' has no trigger binding.");
    }

    private static AuthLevel ParseAuthLevel(string? level) => level?.ToUpperInvariant() switch
    {
        "ANONYMOUS" => AuthLevel.Anonymous,
        "ADMIN" or "SYSTEM" => AuthLevel.Admin,
        // The host's default, and its meaning for "user".
        _ => AuthLevel.Function,
    };

    private static bool IsInput(JsonElement binding) => Property(binding, "direction") switch
    {
        { ValueKind: JsonValueKind.String } text => text.GetString()!.Equals("in", StringComparison.OrdinalIgnoreCase),
        { ValueKind: JsonValueKind.Number } number => number.GetInt32() == 0,
        _ => false,
    };

    private static string? Text(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    // Binding JSON comes camelCase from the source generator, but the host reads it case-insensitively.
    private static JsonElement? Property(JsonElement element, string name) =>
        element.EnumerateObject().FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) is { Value.ValueKind: not JsonValueKind.Undefined } property
            ? property.Value
            : null;
}

/// <summary>The loaded functions, the worker's own HTTP address and the route prefix.</summary>
internal sealed class FunctionRegistry(IReadOnlyList<FunctionInfo> functions, Uri? workerHttpUri, string routePrefix)
{
    public IReadOnlyList<FunctionInfo> Functions { get; } = functions;

    /// <summary>Where the worker serves HTTP triggers itself (ASP.NET Core integration); null without it.</summary>
    public Uri? WorkerHttpUri { get; } = workerHttpUri;

    public string RoutePrefix { get; } = routePrefix;

    public FunctionInfo? Find(string name) =>
        Functions.FirstOrDefault(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The public route template of an HTTP function: prefix/route, as the host builds it.</summary>
    public string RouteOf(HttpTrigger http) => RoutePrefix.Length == 0 ? http.Route : $"{RoutePrefix}/{http.Route}";

    /// <summary>host.json extensions.http.routePrefix, "api" when not set.</summary>
    public static string ReadRoutePrefix(string scriptRoot)
    {
        var path = Path.Combine(scriptRoot, "host.json");
        if (!File.Exists(path))
        {
            return "api";
        }

        using var hostJson = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions
        {
            AllowTrailingCommas = true,
            CommentHandling = JsonCommentHandling.Skip,
        });
        return hostJson.RootElement.TryGetProperty("extensions", out var extensions)
            && extensions.TryGetProperty("http", out var http)
            && http.TryGetProperty("routePrefix", out var prefix)
            && prefix.ValueKind == JsonValueKind.String
                ? prefix.GetString()!.Trim('/')
                : "api";
    }
}
