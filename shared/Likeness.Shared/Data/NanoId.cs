using System.Security.Cryptography;

namespace Likeness.Shared.Data;

/// <summary>Nanoid-compatible ids: 21 characters from the URL-safe alphabet (126 bits).</summary>
public static class NanoId
{
    private const string Alphabet = "_-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    public const int Length = 21;

    public static string New() => RandomNumberGenerator.GetString(Alphabet, Length);
}
