using System.Numerics;
using Likeness.Shared.Data;

namespace Likeness.Shared.Search;

/// <summary>
/// The fields of <see cref="SearchFilters"/> as criteria on <see cref="SearchAttributes"/>, with
/// the same meaning as the SQL of <see cref="LikenessSearchAccess.SearchByFiltersAsync"/>: AND
/// across fields, OR within a list, inclusive ranges, and an unknown (null) attribute never
/// matches a given filter. The service uses it on the few semantic candidates of a page (is this
/// an exact match already shown? does this lookalike pass the filters?) instead of another query.
/// </summary>
internal static class SearchCriteria
{
    private static readonly Criterion[] All =
    [
        AnyOf(f => f.Categories, a => a.Category, (a, v) => a with { Category = v }),
        AnyOf(f => f.Genders, a => a.Gender, (a, v) => a with { Gender = v }),
        AnyOf(f => f.Countries, a => a.Country, (a, v) => a with { Country = v }),
        AnyOf(f => f.TargetAudiences, a => a.TargetAudience, (a, v) => a with { TargetAudience = v }),
        Range(f => f.MinFollowers, f => f.MaxFollowers, a => a.NumberOfFollowers, (a, v) => a with { NumberOfFollowers = v }),
        AnyOf(f => f.PrimaryPlatforms, a => a.PrimaryPlatform, (a, v) => a with { PrimaryPlatform = v }),
        Flag(f => f.IsVerified, a => a.IsVerified, (a, v) => a with { IsVerified = v }),
        AnyOf(f => f.ContentNiches, a => a.ContentNiche, (a, v) => a with { ContentNiche = v }),
        Range(f => f.MinEngagementRate, f => f.MaxEngagementRate, a => a.EngagementRate, (a, v) => a with { EngagementRate = v }),
        Range(f => f.MinBirthYear, f => f.MaxBirthYear, a => a.BirthYear, (a, v) => a with { BirthYear = v }),
        Range(f => f.MinHeight, f => f.MaxHeight, a => a.Height, (a, v) => a with { Height = v }),
        Range(f => f.MinWeight, f => f.MaxWeight, a => a.Weight, (a, v) => a with { Weight = v }),
        AnyOf(f => f.BodyTypes, a => a.BodyType, (a, v) => a with { BodyType = v }),
        AnyOf(f => f.HairColors, a => a.HairColor, (a, v) => a with { HairColor = v }),
        AnyOf(f => f.HairLengths, a => a.HairLength, (a, v) => a with { HairLength = v }),
        AnyOf(f => f.HairTypes, a => a.HairType, (a, v) => a with { HairType = v }),
        AnyOf(f => f.EyeColors, a => a.EyeColor, (a, v) => a with { EyeColor = v }),
        AnyOf(f => f.SkinColors, a => a.SkinColor, (a, v) => a with { SkinColor = v }),
        AnyOf(f => f.Ethnicities, a => a.Ethnicity, (a, v) => a with { Ethnicity = v }),
        AnyOf(f => f.FaceShapes, a => a.FaceShape, (a, v) => a with { FaceShape = v }),
        AnyOf(f => f.FacialHairStyles, a => a.FacialHair, (a, v) => a with { FacialHair = v }),
        Flag(f => f.WearGlasses, a => a.WearGlasses, (a, v) => a with { WearGlasses = v }),
        Flag(f => f.HasTattoos, a => a.HasTattoos, (a, v) => a with { HasTattoos = v }),
        Flag(f => f.HasPiercings, a => a.HasPiercings, (a, v) => a with { HasPiercings = v }),
        AnyOf(f => f.VoicePitches, a => a.VoicePitch, (a, v) => a with { VoicePitch = v }),
        AnyOf(f => f.VoiceTones, a => a.VoiceTone, (a, v) => a with { VoiceTone = v }),
        AnyOf(f => f.Accents, a => a.Accent, (a, v) => a with { Accent = v }),
        AnyOf(f => f.PrimaryLanguages, a => a.PrimaryLanguage, (a, v) => a with { PrimaryLanguage = v }),
    ];

    /// <summary>True when no field is given: every indexed account matches.</summary>
    public static bool IsEmpty(SearchFilters filters) => !All.Any(c => c.IsGiven(filters));

    public static bool Matches(SearchFilters filters, SearchAttributes attributes) =>
        All.All(c => !c.IsGiven(filters) || c.Matches(filters, attributes));

    /// <summary>
    /// The attributes the filters pin to one value (a list of one, a flag, a range whose ends are
    /// equal), as an account with exactly those attributes would have them: the text to embed for
    /// the semantic part is then the same kind of text the indexer embeds.
    /// </summary>
    public static SearchAttributes PinnedAttributes(SearchFilters filters) =>
        All.Aggregate(new SearchAttributes(), (attributes, c) => c.Pin(filters, attributes));

    private static Criterion AnyOf<T>(
        Func<SearchFilters, IReadOnlyList<T>?> values,
        Func<SearchAttributes, T?> get,
        Func<SearchAttributes, T?, SearchAttributes> set)
        where T : struct, Enum => new(
            f => values(f) is { Count: > 0 },
            (f, a) => get(a) is { } value && values(f)!.Contains(value),
            (f, a) => values(f) is [var only] ? set(a, only) : a);

    private static Criterion Flag(
        Func<SearchFilters, bool?> wanted,
        Func<SearchAttributes, bool?> get,
        Func<SearchAttributes, bool?, SearchAttributes> set) => new(
            f => wanted(f) is not null,
            (f, a) => get(a) is { } value && value == wanted(f),
            (f, a) => wanted(f) is { } value ? set(a, value) : a);

    private static Criterion Range<T>(
        Func<SearchFilters, T?> min,
        Func<SearchFilters, T?> max,
        Func<SearchAttributes, T?> get,
        Func<SearchAttributes, T?, SearchAttributes> set)
        where T : struct, INumber<T> => new(
            f => min(f) is not null || max(f) is not null,
            (f, a) => get(a) is { } value && (min(f) is not { } low || value >= low) && (max(f) is not { } high || value <= high),
            (f, a) => min(f) is { } low && max(f) is { } high && low == high ? set(a, low) : a);

    /// <param name="Pin">Sets the attribute when the filter allows exactly one value.</param>
    private sealed record Criterion(
        Func<SearchFilters, bool> IsGiven,
        Func<SearchFilters, SearchAttributes, bool> Matches,
        Func<SearchFilters, SearchAttributes, SearchAttributes> Pin);
}
