using System.Collections;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LocalFunctionsHost;

/// <summary>
/// App settings as the Functions host sees them: <c>local.settings.json</c> <c>Values</c> (and
/// <c>ConnectionStrings</c>) under the host's environment, which wins on conflict. Names compare
/// as .NET configuration compares them: case-insensitive, with <c>__</c> and <c>:</c> alike.
/// </summary>
internal sealed partial class AppSettings
{
    public const string FileName = "local.settings.json";

    private readonly Dictionary<string, string> _environment;
    private readonly Dictionary<string, string> _file;

    private AppSettings(string? file, Dictionary<string, string> environment, Dictionary<string, string> fileValues, string? cors)
    {
        SettingsFile = file;
        _environment = environment;
        _file = fileValues;
        Cors = cors;
    }

    /// <summary>
    /// The origins allowed to call from a browser, comma-separated: local.settings.json's
    /// <c>Host.CORS</c>, as Core Tools reads it (in Azure the platform's CORS setting plays this part).
    /// </summary>
    public string? Cors { get; }

    /// <summary>The local.settings.json that was read, if any.</summary>
    public string? SettingsFile { get; }

    /// <summary>File settings the environment does not already carry: what to add to the worker's environment.</summary>
    public IReadOnlyDictionary<string, string> ForWorker =>
        _file.Where(pair => !_environment.ContainsKey(Normalize(pair.Key)))
             .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);

    public static AppSettings Load(string scriptRoot, string currentDirectory) =>
        Load(scriptRoot, currentDirectory, Environment.GetEnvironmentVariables());

    public static AppSettings Load(string scriptRoot, string currentDirectory, IDictionary environment)
    {
        var file = new[] { currentDirectory, scriptRoot }
            .Select(folder => Path.Combine(folder, FileName))
            .FirstOrDefault(File.Exists);

        var fromEnvironment = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in environment)
        {
            fromEnvironment[Normalize((string)entry.Key)] = entry.Value as string ?? "";
        }

        using var document = file is null ? null : Parse(file);
        return new AppSettings(
            file, fromEnvironment, document is null ? [] : ReadValues(document),
            document?.RootElement.TryGetProperty("Host", out var host) == true && host.TryGetProperty("CORS", out var cors) ? cors.GetString() : null);
    }

    /// <summary>A setting's value, the environment first.</summary>
    public string? Get(string name)
    {
        var key = Normalize(name);
        if (_environment.TryGetValue(key, out var value))
        {
            return value;
        }

        return _file.FirstOrDefault(pair => string.Equals(Normalize(pair.Key), key, StringComparison.OrdinalIgnoreCase)).Value;
    }

    /// <summary>Replaces each <c>%Name%</c> by that setting, as the host does for binding expressions.</summary>
    public string Resolve(string expression) =>
        SettingReference().Replace(expression, match =>
            Get(match.Groups[1].Value)
            ?? throw new KeyNotFoundException($"The app setting '{match.Groups[1].Value}' is not set."));

    private static string Normalize(string name) => name.Replace("__", ":", StringComparison.Ordinal);

    private static JsonDocument Parse(string path) =>
        JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions
        {
            AllowTrailingCommas = true,
            CommentHandling = JsonCommentHandling.Skip,
        });

    private static Dictionary<string, string> ReadValues(JsonDocument document)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (document.RootElement.TryGetProperty("Values", out var settings) && settings.ValueKind == JsonValueKind.Object)
        {
            foreach (var setting in settings.EnumerateObject())
            {
                values[setting.Name] = AsString(setting.Value);
            }
        }

        // Core Tools hands connection strings to the worker as ConnectionStrings:<name>.
        if (document.RootElement.TryGetProperty("ConnectionStrings", out var connections) && connections.ValueKind == JsonValueKind.Object)
        {
            foreach (var connection in connections.EnumerateObject())
            {
                values[$"ConnectionStrings__{connection.Name}"] = AsString(connection.Value);
            }
        }

        return values;
    }

    private static string AsString(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    [GeneratedRegex("%([^%]+)%", RegexOptions.CultureInvariant)]
    private static partial Regex SettingReference();
}
