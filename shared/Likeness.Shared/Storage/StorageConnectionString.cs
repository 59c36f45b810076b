namespace Likeness.Shared.Storage;

/// <summary>
/// The account, key and blob endpoint of an Azure Storage connection string, as the
/// Azure SDKs read it: <c>UseDevelopmentStorage=true</c> (Azurite's well-known account) or
/// <c>DefaultEndpointsProtocol=https;AccountName=...;AccountKey=...[;BlobEndpoint=...][;EndpointSuffix=...]</c>.
/// </summary>
internal sealed class StorageConnectionString
{
    // Azurite's fixed development account, published in its documentation; not a secret.
    internal const string DevelopmentAccountName = "devstoreaccount1";
    internal const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    internal static readonly Uri DevelopmentBlobEndpoint = new("http://127.0.0.1:10000/devstoreaccount1");

    private StorageConnectionString(string accountName, byte[] accountKey, Uri blobEndpoint)
    {
        AccountName = accountName;
        AccountKey = accountKey;
        BlobEndpoint = blobEndpoint;
    }

    public string AccountName { get; }

    public byte[] AccountKey { get; }

    /// <summary>The blob service root, e.g. <c>https://account.blob.core.windows.net</c>.</summary>
    public Uri BlobEndpoint { get; }

    /// <exception cref="FormatException">The string is not a Shared Key connection string; the message says why without echoing the key.</exception>
    public static StorageConnectionString Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var settings = Settings(connectionString);

        if (settings.TryGetValue("UseDevelopmentStorage", out var development))
        {
            if (!string.Equals(development, "true", StringComparison.OrdinalIgnoreCase) || settings.Count > 1)
            {
                throw Malformed("UseDevelopmentStorage=true stands alone; Azurite's account and endpoint are fixed.");
            }
            return new(DevelopmentAccountName, Convert.FromBase64String(DevelopmentAccountKey), DevelopmentBlobEndpoint);
        }

        if (settings.ContainsKey("SharedAccessSignature"))
        {
            throw Malformed("SAS connection strings are not supported; give AccountName and AccountKey, or configure ServiceUri for a managed identity.");
        }
        var accountName = Required(settings, "AccountName");
        var key = Required(settings, "AccountKey");
        var accountKey = new byte[key.Length];
        if (!Convert.TryFromBase64String(key, accountKey, out var keyLength))
        {
            throw Malformed("AccountKey is not base64.");
        }
        return new(accountName, accountKey[..keyLength], BlobEndpointOf(settings, accountName));
    }

    private static Dictionary<string, string> Settings(string connectionString)
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Split at the first '=' only: base64 keys end with '=' padding.
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw Malformed("every setting is Name=Value, separated by ';'.");
            }
            var name = part[..equals].Trim();
            if (!settings.TryAdd(name, part[(equals + 1)..].Trim()))
            {
                throw Malformed($"{name} appears more than once.");
            }
        }
        return settings;
    }

    private static string Required(Dictionary<string, string> settings, string name) =>
        settings.TryGetValue(name, out var value) && value.Length > 0 ? value : throw Malformed($"{name} is missing.");

    private static Uri BlobEndpointOf(Dictionary<string, string> settings, string accountName)
    {
        if (settings.TryGetValue("BlobEndpoint", out var endpoint))
        {
            return Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
                ? uri
                : throw Malformed("BlobEndpoint is not an absolute http(s) URI.");
        }
        var protocol = settings.GetValueOrDefault("DefaultEndpointsProtocol", Uri.UriSchemeHttps).ToLowerInvariant();
        if (protocol != Uri.UriSchemeHttps && protocol != Uri.UriSchemeHttp)
        {
            throw Malformed("DefaultEndpointsProtocol is http or https.");
        }
        var suffix = settings.GetValueOrDefault("EndpointSuffix", "core.windows.net");
        return Uri.TryCreate($"{protocol}://{accountName}.blob.{suffix}", UriKind.Absolute, out var derived)
            ? derived
            : throw Malformed("AccountName and EndpointSuffix do not form a valid host name.");
    }

    private static FormatException Malformed(string reason) => new($"The storage connection string is malformed: {reason}");
}
