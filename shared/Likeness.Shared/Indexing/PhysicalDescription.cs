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
            return HeightCm(imperial);
        }
        if (Metres().Match(text) is { Success: true } metres)
        {
            return HeightCm(metres);
        }
        return Centimetres().Match(text) is { Success: true } cm ? HeightCm(cm) : null;
    }

    /// <summary>The height a match of <see cref="FeetAndInchesPattern"/>, <see cref="MetresPattern"/> or <see cref="CentimetresPattern"/> states, in cm.</summary>
    internal static int HeightCm(Match match)
    {
        if (match.Groups["ft"].Success)
        {
            var inches = (Int(match.Groups["ft"]) * 12) + (match.Groups["in"].Success ? Int(match.Groups["in"]) : 0);
            return (int)Math.Round(inches * CmPerInch);
        }
        return match.Groups["m"].Success
            ? (int)Math.Round(double.Parse(match.Groups["m"].Value.Replace(',', '.'), CultureInfo.InvariantCulture) * 100)
            : Int(match.Groups["cm"]);
    }

    private static int? WeightKg(string text)
    {
        if (Kilograms().Match(text) is { Success: true } kg)
        {
            return WeightKg(kg);
        }
        return Pounds().Match(text) is { Success: true } lb ? WeightKg(lb) : null;
    }

    /// <summary>The weight a match of <see cref="KilogramsPattern"/> or <see cref="PoundsPattern"/> states, in kg.</summary>
    internal static int WeightKg(Match match) =>
        match.Groups["kg"].Success ? Int(match.Groups["kg"]) : (int)Math.Round(Int(match.Groups["lb"]) * KgPerPound);

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

    // The unit patterns are shared with the brief parser (Search/Briefs), which reads the same
    // measures with a comparison in front ("at least 1.75 m", "under 60 kg").

    /// <summary>5'9", 5' 9'', 5’9”, 5 ft 9 in, 5 feet 9 inches, 6 ft: groups <c>ft</c> and <c>in</c>.</summary>
    internal const string FeetAndInchesPattern = @"\b(?<ft>[4-7])\s*(?:'|’|ft\.?|feet|foot)\s*(?:(?<in>1[01]|[0-9])\s*(?:""|''|”|in\b\.?|inch(?:es)?\b)?)?";

    internal const string MetresPattern = @"\b(?<m>[12][.,]\d{1,2})\s*m(?:etres?|eters?)?\b";

    internal const string CentimetresPattern = @"\b(?<cm>\d{3})\s*cm\b";

    internal const string KilogramsPattern = @"\b(?<kg>\d{2,3})\s*(?:kg|kgs|kilos?|kilograms?)\b";

    internal const string PoundsPattern = @"\b(?<lb>\d{2,3})\s*(?:lbs?|pounds?)\b";

    [GeneratedRegex(FeetAndInchesPattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FeetAndInches();

    [GeneratedRegex(MetresPattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Metres();

    [GeneratedRegex(CentimetresPattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Centimetres();

    [GeneratedRegex(KilogramsPattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Kilograms();

    [GeneratedRegex(PoundsPattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pounds();

    [GeneratedRegex(@"\bborn\s+(?:in\s+)?(?:\w+\s+)?(?<year>(?:19|20)\d{2})\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Born();

    [GeneratedRegex(@"\b(?<age>\d{2})(?:\s*|-)years?(?:\s*|-)old\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Age();
}
