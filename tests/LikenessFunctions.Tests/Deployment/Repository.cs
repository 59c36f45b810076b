using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace LikenessFunctions.Tests.Deployment;

/// <summary>The repository these tests were compiled from, wherever their build output went.</summary>
internal static partial class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>
    /// The function app's settings as infra/**/*.bicep set them: every object key that is an app
    /// setting name (a <c>Section__Key</c> hierarchy, or Application Insights' own), with its
    /// literal value when it has one (<c>'...'</c>), else the Bicep expression.
    /// </summary>
    public static IReadOnlyDictionary<string, string> BicepAppSettings()
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(PathOf("infra"), "*.bicep", SearchOption.AllDirectories))
        {
            foreach (Match match in AppSettingLine().Matches(File.ReadAllText(file)))
            {
                var value = match.Groups["value"].Value.Trim();
                settings[match.Groups["key"].Value] = value.Length >= 2 && value[0] == '\'' && value[^1] == '\'' ? value[1..^1] : value;
            }
        }
        return settings;
    }

    private static string FindRoot([CallerFilePath] string thisFile = "")
    {
        for (var directory = new DirectoryInfo(Path.GetDirectoryName(thisFile)!); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LikenessFunctions.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No LikenessFunctions.sln above {thisFile}.");
    }

    [GeneratedRegex(@"^[ \t]*(?<key>[A-Za-z][A-Za-z0-9]*(?:__[A-Za-z0-9_]+)+|APPLICATIONINSIGHTS_[A-Z_]+)[ \t]*:[ \t]*(?<value>[^\r\n]+)$", RegexOptions.Multiline)]
    private static partial Regex AppSettingLine();
}
