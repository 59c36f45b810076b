using System.Globalization;
using System.Text.RegularExpressions;
using Likeness.Shared.Data;

namespace Likeness.Shared.Indexing;

/// <summary>
/// Height (cm), weight (kg) and birth year as a profile description states them: "5'9\"",
/// "5 ft 9 in", "175 cm", "1.75 m", "62 kg", "137 lbs", "born 1996", "27 years old". Deterministic
/// and small on purpose: it reads what is written, the first mention of each, and values outside
/// human ranges are ignored rather than guessed at.
/// </summary>
public static partial class PhysicalDescription
{
    private const double CmPerInch = 2.54;
    private const double KgPerPound = 0.45359237;

    /// <param name="today">Turns a stated age into a birth year.</param>
    public static SearchAttributes Parse(string? description, DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(description))
        {
            return new SearchAttributes();
        }
        return new SearchAttributes
        {
            Height = Within(HeightCm(description), 100, 250),
            Weight = Within(WeightKg(description), 30, 250),
            BirthYear = Within(BirthYear(description, today), 1900, today.Year),
        };
    }

    private static int? HeightCm(string text)
    {
        if (FeetAndInches().Match(text) is { Success: true } imperial)
        {
            var inches = (Int(imperial.Groups["ft"]) * 12) + (imperial.Groups["in"].Success ? Int(imperial.Groups["in"]) : 0);
            return (int)Math.Round(inches * CmPerInch);
        }
        if (Metres().Match(text) is { Success: true } metres)
        {
            return (int)Math.Round(double.Parse(metres.Groups["m"].Value.Replace(',', '.'), CultureInfo.InvariantCulture) * 100);
        }
        return Centimetres().Match(text) is { Success: true } cm ? Int(cm.Groups["cm"]) : null;
    }

    private static int? WeightKg(string text)
    {
        if (Kilograms().Match(text) is { Success: true } kg)
        {
            return Int(kg.Groups["kg"]);
        }
        return Pounds().Match(text) is { Success: true } lb ? (int)Math.Round(Int(lb.Groups["lb"]) * KgPerPound) : null;
    }

    private static int? BirthYear(string text, DateOnly today)
    {
        if (Born().Match(text) is { Success: true } born)
        {
            return Int(born.Groups["year"]);
        }
        // Someone who is 27 today was born 27 or 28 years ago; the later year is as good as the earlier.
        return Age().Match(text) is { Success: true } age ? today.Year - Int(age.Groups["age"]) : null;
    }

    private static int Int(Group group) => int.Parse(group.Value, NumberStyles.None, CultureInfo.InvariantCulture);

    private static int? Within(int? value, int min, int max) => value >= min && value <= max ? value : null;

    // 5'9", 5' 9'', 5’9”, 5 ft 9 in, 5 feet 9 inches, 6 ft.
    [GeneratedRegex(@"\b(?<ft>[4-7])\s*(?:'|’|ft\.?|feet|foot)\s*(?:(?<in>1[01]|[0-9])\s*(?:""|''|”|in\b\.?|inch(?:es)?\b)?)?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FeetAndInches();

    [GeneratedRegex(@"\b(?<m>[12][.,]\d{1,2})\s*m(?:etres?|eters?)?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Metres();

    [GeneratedRegex(@"\b(?<cm>\d{3})\s*cm\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Centimetres();

    [GeneratedRegex(@"\b(?<kg>\d{2,3})\s*(?:kg|kgs|kilos?|kilograms?)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Kilograms();

    [GeneratedRegex(@"\b(?<lb>\d{2,3})\s*(?:lbs?|pounds?)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pounds();

    [GeneratedRegex(@"\bborn\s+(?:in\s+)?(?:\w+\s+)?(?<year>(?:19|20)\d{2})\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Born();

    [GeneratedRegex(@"\b(?<age>\d{2})(?:\s*|-)years?(?:\s*|-)old\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Age();
}
