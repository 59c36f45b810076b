using System.Globalization;
using System.Text.RegularExpressions;
using Likeness.Shared.Data;
using Likeness.Shared.Indexing;

namespace Likeness.Shared.Search.Briefs;

/// <summary>
/// The numbers of a brief: heights, weights, followers, engagement, ages and birth years, each
/// with the comparison in front of or behind it. The units are read as the profile parser reads
/// them (<see cref="PhysicalDescription"/>), so "5'9\"" is the same 175 cm in a brief as in a profile.
/// </summary>
/// <remarks>
/// Rules: every comparison is inclusive ("over 50k" is at least 50,000, "under 30" at most 30), as
/// the API's ranges are. A bare follower count or engagement rate is a minimum ("with 50k
/// followers"); a bare height or weight is that value give or take <see cref="Tolerance"/>. An age
/// becomes the birth years of people that age today: someone 27 was born 27 or 28 years ago, so
/// "in her twenties" is born 30 to 20 years ago, "early twenties" ages 20-23, "mid" 24-26, "late"
/// 27-29. Several mentions of one measure narrow each other. Values outside human ranges are not read.
/// </remarks>
internal static partial class BriefNumbers
{
    private const int Tolerance = 2;

    private const string Number = @"(?<![\w.,])(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)";
    private const string Multiplier = @"(?:k|mm|m|mil|million|millions|thousand)\b";
    private const string AtLeast = @"(?<low>at\s+least|no\s+less\s+than|no\s+shorter\s+than|over|above|more\s+than|min(?:imum)?|from|taller\s+than|heavier\s+than|older\s+than|>=?)";
    private const string AtMost = @"(?<high>no\s+more\s+than|no\s+taller\s+than|under|below|less\s+than|fewer\s+than|at\s+most|up\s+to|max(?:imum)?|shorter\s+than|lighter\s+than|younger\s+than|<=?)";
    private const string Before = "(?:" + AtLeast + "|" + AtMost + @")\s*";
    private const string After = @"(?:(?<lowAfter>\+|\s*(?:or\s+(?:more|taller|older|above|over|heavier)|and\s+(?:up|above|over|older)|plus))|(?<highAfter>\s*or\s+(?:less|shorter|younger|under|below|fewer|lighter)))";
    private const string Height = "(?:" + PhysicalDescription.FeetAndInchesPattern + "|" + PhysicalDescription.MetresPattern + "|" + PhysicalDescription.CentimetresPattern + ")";
    private const string Weight = "(?:" + PhysicalDescription.KilogramsPattern + "|" + PhysicalDescription.PoundsPattern + ")";
    private const string Followers = @"\s*(?:followers?|fans|subscribers|subs)\b";
    private const string Years = @"(?:\s*(?:years?[\s-]*old|years?|yo|y/o|year[\s-]*olds?))";
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    private static readonly RangeAttribute HeightAttribute = (RangeAttribute)SearchAttributeCatalog.Get("height");
    private static readonly RangeAttribute WeightAttribute = (RangeAttribute)SearchAttributeCatalog.Get("weight");
    private static readonly RangeAttribute FollowersAttribute = (RangeAttribute)SearchAttributeCatalog.Get("numberOfFollowers");
    private static readonly RangeAttribute EngagementAttribute = (RangeAttribute)SearchAttributeCatalog.Get("engagementRate");
    private static readonly RangeAttribute BirthYearAttribute = (RangeAttribute)SearchAttributeCatalog.Get("birthYear");

    /// <summary>The readers in the order they run: a span one reads is not read again by a later one.</summary>
    private static readonly (Regex Pattern, Func<Match, DateOnly, Reading?> Read)[] Readers =
    [
        (FollowerRange(), (m, _) => Between(FollowersAttribute, Count(m, "a", "am"), Count(m, "b", "bm"))),
        (FollowerCount(), (m, _) => Compared(FollowersAttribute, m, Count(m, "n", "m"), bare: (0, null))),
        (HeightRange(), (m, _) => Between(HeightAttribute, Int(m, "a"), Int(m, "b"))),
        (HeightValue(), (m, _) => Compared(HeightAttribute, m, PhysicalDescription.HeightCm(m), bare: (-Tolerance, Tolerance))),
        (WeightValue(), (m, _) => Compared(WeightAttribute, m, PhysicalDescription.WeightKg(m), bare: (-Tolerance, Tolerance))),
        (EngagementBefore(), (m, _) => Compared(EngagementAttribute, m, Decimal(m, "n"), bare: (0, null))),
        (EngagementAfter(), (m, _) => Compared(EngagementAttribute, m, Decimal(m, "n"), bare: (0, null))),
        (BornIn(), BirthYears),
        (Decade(), Decades),
        (AgeRange(), (m, today) => Ages(today, Int(m, "a"), Int(m, "b"))),
        (AgeCompared(), (m, today) => ComparedAge(m, today)),
        (AgeExact(), (m, today) => m.Groups["lowAfter"].Success ? Ages(today, Int(m, "n"), null) : Ages(today, Int(m, "n"), Int(m, "n"))),
    ];

    /// <summary>The filters the numbers in <paramref name="text"/> ask for; what was read is marked in <paramref name="consumed"/>.</summary>
    public static SearchFilters Read(string text, DateOnly today, bool[] consumed)
    {
        var bounds = new Dictionary<RangeAttribute, (double? Min, double? Max)>();
        foreach (var (pattern, read) in Readers)
        {
            foreach (Match match in pattern.Matches(text))
            {
                if (consumed.AsSpan(match.Index, match.Length).Contains(true) || read(match, today) is not { } reading)
                {
                    continue;
                }
                Array.Fill(consumed, true, match.Index, match.Length);
                var (min, max) = bounds.GetValueOrDefault(reading.Attribute);
                bounds[reading.Attribute] = (Tighter(min, reading.Min, Math.Max), Tighter(max, reading.Max, Math.Min));
            }
        }
        var filters = new SearchFilters();
        foreach (var (attribute, (min, max)) in bounds)
        {
            // Mentions that contradict each other ask for nothing that can be found; the filter is dropped instead.
            if (min is null || max is null || min <= max)
            {
                filters = attribute.WithRange(filters, min, max);
            }
        }
        return filters;
    }

    private static double? Tighter(double? current, double? next, Func<double, double, double> pick) =>
        current is { } a && next is { } b ? pick(a, b) : current ?? next;

    private static Reading? Between(RangeAttribute attribute, double? low, double? high) =>
        low is { } a && high is { } b && a <= b && Plausible(attribute, a) && Plausible(attribute, b) ? new Reading(attribute, a, b) : null;

    /// <param name="bare">The range around the value when no comparison is given (null: open).</param>
    private static Reading? Compared(RangeAttribute attribute, Match match, double? value, (double Below, double? Above) bare)
    {
        if (value is not { } v || !Plausible(attribute, v))
        {
            return null;
        }
        if (match.Groups["low"].Success || match.Groups["lowAfter"].Success)
        {
            return new Reading(attribute, v, null);
        }
        if (match.Groups["high"].Success || match.Groups["highAfter"].Success)
        {
            return new Reading(attribute, null, v);
        }
        return new Reading(attribute, v + bare.Below, bare.Above is { } above ? v + above : null);
    }

    private static Reading? ComparedAge(Match match, DateOnly today) =>
        match.Groups["low"].Success ? Ages(today, Int(match, "n"), null) : Ages(today, null, Int(match, "n"));

    /// <summary>Born to be <paramref name="youngest"/> to <paramref name="oldest"/> years old today (either end open when null).</summary>
    private static Reading? Ages(DateOnly today, int? youngest, int? oldest)
    {
        if (youngest is < 13 or > 100 || oldest is < 13 or > 100 || (youngest > oldest))
        {
            return null;
        }
        return new Reading(BirthYearAttribute, today.Year - oldest - 1, today.Year - youngest);
    }

    private static Reading? Decades(Match match, DateOnly today)
    {
        var decade = match.Groups["decade"].Value.ToLowerInvariant() switch
        {
            "twenties" => 20,
            "thirties" => 30,
            "forties" => 40,
            "fifties" => 50,
            "sixties" => 60,
            "seventies" => 70,
            var digits => int.Parse(digits.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture),
        };
        var (from, to) = match.Groups["when"].Value.ToLowerInvariant() switch
        {
            "early" => (0, 3),
            "mid" => (4, 6),
            "late" => (7, 9),
            _ => (0, 9),
        };
        return Ages(today, decade + from, decade + to);
    }

    private static Reading? BirthYears(Match match, DateOnly today)
    {
        if (match.Groups["yy"].Success)
        {
            var yy = Int(match, "yy")!.Value;
            var start = yy >= 30 ? 1900 + yy : 2000 + yy;
            return start <= today.Year ? new Reading(BirthYearAttribute, start, start + 9) : null;
        }
        var year = Int(match, "year")!.Value;
        if (year < 1900 || year > today.Year)
        {
            return null;
        }
        return match.Groups["cmp"].Value.ToLowerInvariant() switch
        {
            "after" or "since" => new Reading(BirthYearAttribute, year, null),
            "before" => new Reading(BirthYearAttribute, null, year),
            _ => new Reading(BirthYearAttribute, year, year),
        };
    }

    private static bool Plausible(RangeAttribute attribute, double value) => attribute.Name switch
    {
        "height" => value is >= 100 and <= 250,
        "weight" => value is >= 30 and <= 250,
        "engagementRate" => value is >= 0 and <= 100,
        _ => value >= 0,
    };

    private static double? Count(Match match, string number, string multiplier)
    {
        if (Decimal(match, number) is not { } value)
        {
            return null;
        }
        return match.Groups[multiplier].Value.ToLowerInvariant() switch
        {
            "k" or "thousand" => Math.Round(value * 1_000),
            "m" or "mm" or "mil" or "million" or "millions" => Math.Round(value * 1_000_000),
            _ => value,
        };
    }

    private static double? Decimal(Match match, string group) =>
        match.Groups[group] is { Success: true } g
        && double.TryParse(g.Value.Replace(",", "", StringComparison.Ordinal), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    private static int? Int(Match match, string group) =>
        match.Groups[group] is { Success: true } g && int.TryParse(g.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    [GeneratedRegex(@"(?:between\s+)?(?<a>" + Number + @")\s*(?<am>" + Multiplier + @")?\s*(?:-|–|to|and)\s*(?<b>" + Number + @")\s*(?<bm>" + Multiplier + ")?" + Followers, Options)]
    private static partial Regex FollowerRange();

    [GeneratedRegex("(?:" + Before + ")?(?<n>" + Number + @")\s*(?<m>" + Multiplier + ")?" + After + "?" + Followers + After + "?", Options)]
    private static partial Regex FollowerCount();

    [GeneratedRegex(@"(?:between\s+)?(?<![\w.])(?<a>\d{3})\s*(?:cm\s*)?(?:-|–|to|and)\s*(?<b>\d{3})\s*cm\b(?:\s+tall)?", Options)]
    private static partial Regex HeightRange();

    [GeneratedRegex("(?:" + Before + ")?" + Height + After + @"?(?:\s+tall)?", Options)]
    private static partial Regex HeightValue();

    [GeneratedRegex("(?:" + Before + ")?" + Weight + After + "?", Options)]
    private static partial Regex WeightValue();

    [GeneratedRegex(@"\bengagement(?:\s+rate)?\s+(?:of\s+)?(?:" + Before + @")?(?<n>\d+(?:\.\d+)?)\s*%" + After + "?", Options)]
    private static partial Regex EngagementBefore();

    [GeneratedRegex("(?:" + Before + @")?(?<n>\d+(?:\.\d+)?)\s*%" + After + @"?\s*(?:engagement|er)\b(?:\s+rate)?", Options)]
    private static partial Regex EngagementAfter();

    [GeneratedRegex(@"(?:\b(?<when>early|mid|late)[\s-]*)?\b(?<decade>twenties|thirties|forties|fifties|sixties|seventies|(?:20|30|40|50|60|70)'?s)\b", Options)]
    private static partial Regex Decade();

    [GeneratedRegex(@"\bborn\s+(?:in\s+)?(?:the\s+)?(?:(?<cmp>after|before|since)\s+)?(?:(?<year>(?:19|20)\d{2})\b|'?(?<yy>\d0)'?s\b)", Options)]
    private static partial Regex BornIn();

    [GeneratedRegex(@"(?:\b(?:aged?|ages|between)\s+(?<a>\d{2})\s*(?:-|–|to|and)\s*(?<b>\d{2})" + Years + @"?\b|\b(?<a>\d{2})\s*(?:-|–|to)\s*(?<b>\d{2})" + Years + @"\b)", Options)]
    private static partial Regex AgeRange();

    [GeneratedRegex("(?:" + Before + @")(?<n>\d{2})\b(?!\s*(?:\+|k\b|mm?\b|mil|million|thousand|cm|kg|kgs|lbs?|%|followers?|fans|subscribers|subs|\d|[.,]\d|'|’|ft|feet))" + Years + "?", Options)]
    private static partial Regex AgeCompared();

    [GeneratedRegex(@"(?:\baged?\s+(?<n>\d{2})\b(?!\s*(?:\d|-|–|to\b|plus|\+))" + Years + @"?|\b(?<n>\d{2})(?<lowAfter>\+)?" + Years + @"\b)", Options)]
    private static partial Regex AgeExact();

    private sealed record Reading(RangeAttribute Attribute, double? Min, double? Max);
}
