using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Likeness.Shared.Data;

/// <summary>
/// Public media filenames, <c>{base}-{4char}.{ext}</c> (<c>photo-a3f2.jpg</c>): a slug of the
/// original name, four random characters that keep uploads of the same name apart, and the
/// original extension. They appear in URLs, so only <c>a-z 0-9 - .</c> are used.
/// </summary>
public static partial class MediaFilename
{
    public const int MaxBaseLength = 40;
    public const int SuffixLength = 4;
    public const int MaxExtensionLength = 10;
    private const string SuffixAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const string FallbackBase = "file";

    /// <summary>A new filename for an upload called <paramref name="originalFilename"/>.</summary>
    /// <remarks>
    /// Directories in the name are ignored and any other character than a-z and 0-9 (after
    /// lower-casing) separates words; a precomposed <c>é</c> is such a character, because invariant
    /// globalization offers no normalization to take its accent off. A name without usable
    /// characters becomes <c>file</c>; a name without an extension gets none.
    /// </remarks>
    public static string Create(string originalFilename)
    {
        ArgumentNullException.ThrowIfNull(originalFilename);
        var name = originalFilename[(originalFilename.LastIndexOfAny(['/', '\\']) + 1)..];
        var dot = name.LastIndexOf('.');
        var (stem, extension) = dot < 0 ? (name, "") : (name[..dot], name[(dot + 1)..]);

        var slug = Slugify(stem, MaxBaseLength);
        var ext = Slugify(extension, MaxExtensionLength).Replace("-", "", StringComparison.Ordinal);
        var suffix = RandomNumberGenerator.GetString(SuffixAlphabet, SuffixLength);
        return $"{(slug.Length == 0 ? FallbackBase : slug)}-{suffix}{(ext.Length == 0 ? "" : "." + ext)}";
    }

    /// <summary>Whether <paramref name="filename"/> has the shape <see cref="Create"/> produces.</summary>
    public static bool IsValid(string? filename) => filename is not null && Pattern().IsMatch(filename);

    // Lower-case a-z0-9 runs joined by single hyphens, cut to maxLength without a trailing hyphen.
    private static string Slugify(string text, int maxLength)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            // Decomposed accents (macOS names arrive as "e" + U+0301) leave their letter alone.
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            var lower = char.ToLowerInvariant(c);
            if (char.IsAsciiLetterLower(lower) || char.IsAsciiDigit(lower))
            {
                builder.Append(lower);
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }
        var slug = builder.ToString();
        return slug[..Math.Min(slug.Length, maxLength)].Trim('-');
    }

    [GeneratedRegex(@"\A[a-z0-9]+(?:-[a-z0-9]+)*-[a-z0-9]{4}(?:\.[a-z0-9]{1,10})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
