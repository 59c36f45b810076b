using System.Diagnostics;
using System.Text.RegularExpressions;

namespace LikenessFunctions.Tests.Deployment;

[TestClass]
public sealed partial class NoSecretsInRepositoryTests
{
    // Azurite's fixed development key, published in its documentation: not a secret.
    private const string AzuriteAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task NoFileInTheRepositoryHoldsASecretLookingValue()
    {
        var findings = new List<string>();
        foreach (var file in await RepositoryFilesAsync(TestContext.CancellationToken))
        {
            var text = await File.ReadAllTextAsync(Repository.PathOf(file), TestContext.CancellationToken);
            if (text.Contains('\0', StringComparison.Ordinal))
            {
                continue;
            }
            findings.AddRange(SecretPatterns()
                .SelectMany(pattern => pattern.Matches(text))
                .Where(match => !match.Value.Contains(AzuriteAccountKey, StringComparison.Ordinal))
                .Select(match => $"{file}: {Redact(match.Value)}"));
        }

        Assert.IsEmpty(findings, string.Join(Environment.NewLine, findings));
    }

    [TestMethod]
    // Each sample is split so that this file's own text does not match the scan.
    [DataRow("Server=db;User Id=app;Pass" + "word=Hunter2-Hunter2;")]
    [DataRow("DefaultEndpointsProtocol=https;AccountName=acct;Account" + "Key=bm90LWEtcmVhbC1rZXktYnV0LWxvbmctZW5vdWdo==")]
    [DataRow("https://acct.blob.core.windows.net/c/b?sv=2024-05-04&si" + "g=abcdefghijklmnopqrstuvwxyz012345%3D")]
    [DataRow("OPENAI_API_KEY=s" + "k-abcdefghijklmnopqrstuvwxyz0123")]
    [DataRow("xi-api-key: s" + "k_0123456789abcdef0123456789abcdef0123456789abcdef")]
    [DataRow("\"ApiKey\": \"" + "9f8e7d6c5b4a39281706f5e4d3c2b1a0\"")]
    [DataRow("-----BEGIN RSA PRIVATE" + " KEY-----")]
    public void TheScanRecognisesCommonSecretShapes(string text) =>
        Assert.IsTrue(SecretPatterns().Any(pattern => pattern.IsMatch(text)), text);

    [TestMethod]
    [DataRow("Host=127.0.0.1;Port=54329;Username=postgres;Database=likeness")]
    [DataRow("\"elevenLabsApiKey\": { \"value\": \"${ELEVENLABS_API_KEY}\" }")]
    [DataRow("ElevenLabs__ApiKey: elevenLabsApiKeyReference")]
    [DataRow("var password = await ReadAsync(stream, length);")]
    [DataRow("AccountName=acct;AccountKey=a2V5")]
    public void TheScanLeavesPlaceholdersAndCodeAlone(string text) =>
        Assert.IsFalse(SecretPatterns().Any(pattern => pattern.IsMatch(text)), text);

    private static Regex[] SecretPatterns() =>
    [
        ConnectionStringPassword(),
        StorageAccountKey(),
        SasSignature(),
        ProviderApiKey(),
        QuotedKeyValue(),
        PrivateKey(),
    ];

    /// <summary>Tracked files and new files not ignored: what a commit could contain.</summary>
    private static async Task<IReadOnlyList<string>> RepositoryFilesAsync(CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"])
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var git = Process.Start(info) ?? throw new InvalidOperationException("git did not start.");
        var output = await git.StandardOutput.ReadToEndAsync(cancellationToken);
        await git.WaitForExitAsync(cancellationToken);
        Assert.AreEqual(0, git.ExitCode, "git ls-files failed");
        return output.Split('\0', StringSplitOptions.RemoveEmptyEntries).Where(f => File.Exists(Repository.PathOf(f))).ToList();
    }

    private static string Redact(string value) => value.Length <= 12 ? value : value[..12] + "…";

    // A password given in a connection string; placeholders (${VAR}, <value>, {0}) are not values.
    [GeneratedRegex(@"(?i)(?<![A-Za-z_])(password|pwd)=(?![$<{\s;""'])[^;""'\s]+")]
    private static partial Regex ConnectionStringPassword();

    [GeneratedRegex(@"AccountKey=[A-Za-z0-9+/]{20,}={0,2}")]
    private static partial Regex StorageAccountKey();

    [GeneratedRegex(@"(?i)(SharedAccessSignature=|[?&]sig=)[A-Za-z0-9%+/=]{20,}")]
    private static partial Regex SasSignature();

    // OpenAI (sk-...) and ElevenLabs (sk_...) key shapes.
    [GeneratedRegex(@"\bsk[-_][A-Za-z0-9_-]{20,}")]
    private static partial Regex ProviderApiKey();

    // A long literal assigned to something named like a key or secret.
    [GeneratedRegex(@"(?i)[""']?(api[-_]?key|secret|client[-_]?secret|access[-_]?key)[""']?\s*[:=]\s*[""'][A-Za-z0-9+/_=-]{24,}[""']")]
    private static partial Regex QuotedKeyValue();

    [GeneratedRegex(@"-----BEGIN ([A-Z]+ )?PRIVATE KEY-----")]
    private static partial Regex PrivateKey();
}
