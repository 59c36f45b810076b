using System.Globalization;

namespace LocalFunctionsHost;

/// <summary>The host's command line.</summary>
internal sealed record CommandLine(string ScriptRoot, int Port, string? FunctionKey, string? MasterKey, bool NoTimers, bool LogSearchText, string? Cors)
{
    public const int DefaultPort = 7071;

    public const string Usage = """
        Usage: dotnet LocalFunctionsHost.dll --script-root <dir> [--port 7071] [--function-key KEY] [--master-key KEY] [--no-timers] [--log-search-text] [--cors ORIGINS]

          --script-root   the worker's build output (the folder with worker.config.json)
          --port          HTTP port on 127.0.0.1 (default 7071; 0 picks a free one)
          --function-key  key for authLevel 'function' functions (x-functions-key header or ?code=)
          --master-key    key for every function, 'admin' functions and the admin API
          --no-timers     do not schedule timer functions (run them with POST /admin/functions/{name})
          --log-search-text  show q values (users' search text) in the logs; redacted otherwise (debugging only)
          --cors          origins allowed to call from a browser, comma-separated (default: local.settings.json Host.CORS)
        Keys are enforced only when --function-key or --master-key is given. The host listens on 127.0.0.1 only.
        """;

    public static bool TryParse(IReadOnlyList<string> args, out CommandLine options, out string error)
    {
        string? scriptRoot = null, functionKey = null, masterKey = null, cors = null;
        var port = DefaultPort;
        var noTimers = false;
        var logSearchText = false;
        options = null!;
        error = "";

        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--no-timers":
                    noTimers = true;
                    continue;
                case "--log-search-text":
                    logSearchText = true;
                    continue;
                case "--script-root" or "--port" or "--function-key" or "--master-key" or "--cors" when i + 1 >= args.Count:
                    error = $"{args[i]} needs a value.";
                    return false;
                case "--script-root":
                    scriptRoot = args[++i];
                    continue;
                case "--function-key":
                    functionKey = args[++i];
                    continue;
                case "--master-key":
                    masterKey = args[++i];
                    continue;
                case "--cors":
                    cors = args[++i];
                    continue;
                case "--port":
                    if (!int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535)
                    {
                        error = $"--port must be a number from 0 to 65535, not '{args[i]}'.";
                        return false;
                    }
                    continue;
                default:
                    error = $"Unknown argument '{args[i]}'.";
                    return false;
            }
        }

        if (scriptRoot is null)
        {
            error = "--script-root is required.";
            return false;
        }

        scriptRoot = Path.GetFullPath(scriptRoot);
        if (!File.Exists(Path.Combine(scriptRoot, "worker.config.json")))
        {
            error = $"No worker.config.json in '{scriptRoot}': --script-root must be the worker's build output.";
            return false;
        }

        options = new CommandLine(scriptRoot, port, NullIfEmpty(functionKey), NullIfEmpty(masterKey), noTimers, logSearchText, NullIfEmpty(cors));
        return true;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
