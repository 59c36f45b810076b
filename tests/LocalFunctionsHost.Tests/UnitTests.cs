using System.Collections;
using Microsoft.AspNetCore.Http;

namespace LocalFunctionsHost.Tests;

/// <summary>The host's pure pieces, without processes.</summary>
[TestClass]
public sealed class UnitTests
{
    [TestMethod]
    public void SettingNamesMatchWithColonsOrDoubleUnderscoresAndTheEnvironmentWins()
    {
        var folder = Directory.CreateTempSubdirectory("local-host-unit-").FullName;
        using var cleanup = new Cleanup(() => Directory.Delete(folder, recursive: true));
        File.WriteAllText(Path.Combine(folder, "local.settings.json"), """
            { "Values": { "Timers:Tick:Schedule": "*/5 * * * * *", "Only__In__File": "file", "Both": "file" } }
            """);
        IDictionary environment = new Hashtable { ["Both"] = "environment", ["Env__Only"] = "environment" };

        var settings = AppSettings.Load(folder, folder, environment);

        Assert.AreEqual("*/5 * * * * *", settings.Get("Timers__Tick__Schedule"));
        Assert.AreEqual("file", settings.Get("Only:In:File"));
        Assert.AreEqual("environment", settings.Get("Both"));
        Assert.AreEqual("environment", settings.Get("env:only"));
        Assert.AreEqual("every */5 * * * * *", settings.Resolve("every %Timers:Tick:Schedule%"));
        Assert.IsFalse(settings.ForWorker.ContainsKey("Both"), "the environment already carries Both");
        Assert.IsTrue(settings.ForWorker.ContainsKey("Only__In__File"));
    }

    [TestMethod]
    public void AScheduleNamingAMissingSettingDoesNotResolve()
    {
        var settings = AppSettings.Load("/nonexistent", "/nonexistent", new Hashtable());

        Assert.ThrowsExactly<KeyNotFoundException>(() => settings.Resolve("%Nope%"));
    }

    [TestMethod]
    public void TheRedactorMasksCodeAndSearchTextValuesAndConfiguredKeys()
    {
        var redactor = new Redactor(false, "key-1", null);
        var keepingText = new Redactor(true);

        Assert.AreEqual("GET http://h/api/x?a=1&code=REDACTED&b=2", redactor.Redact("GET http://h/api/x?a=1&code=abc%2F==&b=2"));
        Assert.AreEqual("url 'http://h/x?CODE=REDACTED' done", redactor.Redact("url 'http://h/x?CODE=zz' done"));
        Assert.AreEqual("header REDACTED seen", redactor.Redact("header key-1 seen"));
        Assert.AreEqual("?q=REDACTED&code=REDACTED", redactor.RedactQuery(new QueryString("?q=my%20brief&code=secret")));
        Assert.AreEqual("GET /api/s?Q=REDACTED&faq=1", redactor.Redact("GET /api/s?Q=blonde&faq=1"));
        Assert.AreEqual("?q=my%20brief&code=REDACTED", keepingText.RedactQuery(new QueryString("?q=my%20brief&code=secret")));
        Assert.AreEqual("?barcode=1", redactor.Redact("?barcode=1"));
    }

    [TestMethod]
    public void KeysAreCheckedOnlyWhenAKeyIsConfigured()
    {
        var open = new KeyAuthorization(null, null);
        var keyed = new KeyAuthorization("f", "m");

        Assert.IsTrue(open.Allows(Request(null), AuthLevel.Admin));
        Assert.IsTrue(keyed.Allows(Request(null), AuthLevel.Anonymous));
        Assert.IsFalse(keyed.Allows(Request(null), AuthLevel.Function));
        Assert.IsTrue(keyed.Allows(Request("f"), AuthLevel.Function));
        Assert.IsTrue(keyed.Allows(Request("m"), AuthLevel.Function));
        Assert.IsFalse(keyed.Allows(Request("f"), AuthLevel.Admin));
        Assert.IsTrue(keyed.Allows(Request("m"), AuthLevel.Admin));
        Assert.IsTrue(keyed.Allows(Request(null, "?code=f"), AuthLevel.Function));
    }

    [TestMethod]
    public void TheCommandLineNeedsAScriptRootWithAWorkerConfig()
    {
        Assert.IsFalse(CommandLine.TryParse([], out _, out var missing));
        StringAssert.Contains(missing, "--script-root");
        Assert.IsFalse(CommandLine.TryParse(["--script-root", "/nonexistent"], out _, out var noConfig));
        StringAssert.Contains(noConfig, "worker.config.json");
        Assert.IsFalse(CommandLine.TryParse(["--script-root", Support.HostProcess.WorkerOutput, "--port", "x"], out _, out _));

        Assert.IsTrue(CommandLine.TryParse(["--script-root", Support.HostProcess.WorkerOutput, "--no-timers", "--function-key", "k"], out var options, out _));
        Assert.AreEqual(7071, options.Port);
        Assert.IsTrue(options.NoTimers);
        Assert.AreEqual("k", options.FunctionKey);
        Assert.IsNull(options.MasterKey);
    }

    private static DefaultHttpContext Request(string? headerKey, string query = "")
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
        if (headerKey is not null)
        {
            context.Request.Headers["x-functions-key"] = headerKey;
        }

        return context;
    }

    private sealed class Cleanup(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
