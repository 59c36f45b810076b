using System.Text.RegularExpressions;

namespace LocalFunctionsHost;

/// <summary>
/// One line per log entry on stdout, "[category] message", written synchronously so that the
/// worker's output, the host's own lines and the request lines keep their order and nothing is
/// lost when the host exits. Every line passes through <see cref="Redactor"/>.
/// </summary>
internal static class HostLogging
{
    public static ILoggerFactory CreateFactory(Redactor redactor) =>
        LoggerFactory.Create(logging => logging
            .AddProvider(new ConsoleLineLoggerProvider(redactor))
            .SetMinimumLevel(LogLevel.Information)
            // ASP.NET Core and gRPC are plumbing here; only their problems are worth a line.
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddFilter("Grpc", LogLevel.Warning));

    private sealed class ConsoleLineLoggerProvider(Redactor redactor) : ILoggerProvider
    {
        private readonly Lock _gate = new();

        public ILogger CreateLogger(string categoryName) => new ConsoleLineLogger(this, categoryName);

        public void Dispose() => Console.Out.Flush();

        private void Write(string category, LogLevel level, string message, Exception? exception)
        {
            var severity = level switch
            {
                LogLevel.Warning => "warn: ",
                LogLevel.Error => "error: ",
                LogLevel.Critical => "crit: ",
                _ => "",
            };
            var line = redactor.Redact($"[{category}] {severity}{message}");
            var details = exception is null ? null : redactor.Redact(exception.ToString());
            lock (_gate)
            {
                Console.Out.WriteLine(line);
                if (details is not null)
                {
                    Console.Out.WriteLine(details);
                }
            }
        }

        private sealed class ConsoleLineLogger(ConsoleLineLoggerProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    provider.Write(category, logLevel, formatter(state, exception), exception);
                }
            }
        }
    }
}

/// <summary>
/// Keeps keys and users' text out of the output: the value of every <c>code</c> query parameter
/// (right or wrong, whoever logged the URL: the host, the worker or ASP.NET Core inside the
/// worker), the value of every <c>q</c> (search text, unless <paramref name="keepSearchText"/>)
/// and the configured keys wherever they appear.
/// </summary>
internal sealed partial class Redactor(bool keepSearchText, params string?[] secrets)
{
    public const string Mask = "REDACTED";

    private readonly string[] _secrets = [.. secrets.Where(s => !string.IsNullOrEmpty(s)).Cast<string>()];

    private Regex Parameters => keepSearchText ? CodeParameter() : CodeOrTextParameter();

    public string Redact(string text)
    {
        if (text.Contains('=', StringComparison.Ordinal))
        {
            text = Parameters.Replace(text, Mask);
        }

        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>The query string for a log line: every parameter kept, the masked ones' values replaced.</summary>
    public string RedactQuery(QueryString query) =>
        query.HasValue ? Parameters.Replace(query.Value!, Mask) : "";

    // A value ends where the query parameter ends: '&', '#', whitespace or a quote.
    [GeneratedRegex(@"(?<=(?:^|[?&;\s""'])code=)[^&#\s""']+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CodeParameter();

    [GeneratedRegex(@"(?<=(?:^|[?&;\s""'])(?:code|q)=)[^&#\s""']+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CodeOrTextParameter();
}
