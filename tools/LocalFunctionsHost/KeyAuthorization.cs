using System.Security.Cryptography;
using System.Text;

namespace LocalFunctionsHost;

/// <summary>
/// Function keys as the host checks them: a key in the x-functions-key header or the code query
/// parameter. The master key opens everything; the function key opens authLevel function.
/// Without any key configured nothing is enforced, as with Core Tools.
/// </summary>
internal sealed class KeyAuthorization(string? functionKey, string? masterKey)
{
    public const string KeyHeader = "x-functions-key";
    public const string KeyQueryParameter = "code";

    public bool Enforced => functionKey is not null || masterKey is not null;

    public bool Allows(HttpContext context, AuthLevel level)
    {
        if (!Enforced || level == AuthLevel.Anonymous)
        {
            return true;
        }

        var given = context.Request.Headers[KeyHeader].FirstOrDefault() ?? context.Request.Query[KeyQueryParameter].FirstOrDefault();
        if (string.IsNullOrEmpty(given))
        {
            return false;
        }

        return Matches(given, masterKey) || (level == AuthLevel.Function && Matches(given, functionKey));
    }

    private static bool Matches(string given, string? key) =>
        key is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(key));
}
