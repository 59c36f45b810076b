using System.Globalization;
using System.Numerics;

namespace Likeness.Shared.Data;

/// <summary>
/// The one declaration of every searchable attribute: its <c>likeness_search</c> column, its API
/// name, its kind and values, and how it reads and writes <see cref="SearchAttributes"/> and
/// <see cref="SearchFilters"/>. The SQL, the filters, request parsing, the OpenAPI parameters,
/// the in-memory index, the tag text and the AI schemas all iterate this list, so adding an
/// attribute means a property on the two records, a column in a migration and one line here.
/// </summary>
public static class SearchAttributeCatalog
{
    public static IReadOnlyList<SearchAttribute> All { get; } =
    [
        Enum<Category>("category", a => a.Category, (a, v) => a with { Category = v }, f => f.Categories, (f, v) => f with { Categories = v }),
        Enum<Gender>("gender", a => a.Gender, (a, v) => a with { Gender = v }, f => f.Genders, (f, v) => f with { Genders = v }),
        Enum<Country>("country", a => a.Country, (a, v) => a with { Country = v }, f => f.Countries, (f, v) => f with { Countries = v }),
        Enum<TargetAudience>("targetAudience", a => a.TargetAudience, (a, v) => a with { TargetAudience = v }, f => f.TargetAudiences, (f, v) => f with { TargetAudiences = v }),
        Range<long>("numberOfFollowers", "Followers", "followers", a => a.NumberOfFollowers, (a, v) => a with { NumberOfFollowers = v },
            f => (f.MinFollowers, f.MaxFollowers), (f, low, high) => f with { MinFollowers = low, MaxFollowers = high }, FollowerBand),
        Enum<Platform>("primaryPlatform", a => a.PrimaryPlatform, (a, v) => a with { PrimaryPlatform = v }, f => f.PrimaryPlatforms, (f, v) => f with { PrimaryPlatforms = v }),
        Flag("isVerified", a => a.IsVerified, (a, v) => a with { IsVerified = v }, f => f.IsVerified, (f, v) => f with { IsVerified = v }),
        Enum<ContentNiche>("contentNiche", a => a.ContentNiche, (a, v) => a with { ContentNiche = v }, f => f.ContentNiches, (f, v) => f with { ContentNiches = v }),
        Range<double>("engagementRate", "EngagementRate", "percent", a => a.EngagementRate, (a, v) => a with { EngagementRate = v },
            f => (f.MinEngagementRate, f.MaxEngagementRate), (f, low, high) => f with { MinEngagementRate = low, MaxEngagementRate = high },
            rate => rate.ToString("0.#", CultureInfo.InvariantCulture)),
        Range<int>("birthYear", "BirthYear", "year", a => a.BirthYear, (a, v) => a with { BirthYear = v },
            f => (f.MinBirthYear, f.MaxBirthYear), (f, low, high) => f with { MinBirthYear = low, MaxBirthYear = high },
            year => $"{year / 10 * 10}s"),
        Range<int>("height", "Height", "cm", a => a.Height, (a, v) => a with { Height = v },
            f => (f.MinHeight, f.MaxHeight), (f, low, high) => f with { MinHeight = low, MaxHeight = high }),
        Range<int>("weight", "Weight", "kg", a => a.Weight, (a, v) => a with { Weight = v },
            f => (f.MinWeight, f.MaxWeight), (f, low, high) => f with { MinWeight = low, MaxWeight = high }),
        Enum<BodyType>("bodyType", a => a.BodyType, (a, v) => a with { BodyType = v }, f => f.BodyTypes, (f, v) => f with { BodyTypes = v }),
        Enum<HairColor>("hairColor", a => a.HairColor, (a, v) => a with { HairColor = v }, f => f.HairColors, (f, v) => f with { HairColors = v }),
        Enum<HairLength>("hairLength", a => a.HairLength, (a, v) => a with { HairLength = v }, f => f.HairLengths, (f, v) => f with { HairLengths = v }),
        Enum<HairType>("hairType", a => a.HairType, (a, v) => a with { HairType = v }, f => f.HairTypes, (f, v) => f with { HairTypes = v }),
        Enum<EyeColor>("eyeColor", a => a.EyeColor, (a, v) => a with { EyeColor = v }, f => f.EyeColors, (f, v) => f with { EyeColors = v }),
        Enum<SkinColor>("skinColor", a => a.SkinColor, (a, v) => a with { SkinColor = v }, f => f.SkinColors, (f, v) => f with { SkinColors = v }),
        Enum<Ethnicity>("ethnicity", a => a.Ethnicity, (a, v) => a with { Ethnicity = v }, f => f.Ethnicities, (f, v) => f with { Ethnicities = v }),
        Enum<FaceShape>("faceShape", a => a.FaceShape, (a, v) => a with { FaceShape = v }, f => f.FaceShapes, (f, v) => f with { FaceShapes = v }),
        Enum<FacialHair>("facialHair", a => a.FacialHair, (a, v) => a with { FacialHair = v }, f => f.FacialHairStyles, (f, v) => f with { FacialHairStyles = v }),
        Flag("wearGlasses", a => a.WearGlasses, (a, v) => a with { WearGlasses = v }, f => f.WearGlasses, (f, v) => f with { WearGlasses = v }),
        Flag("hasTattoos", a => a.HasTattoos, (a, v) => a with { HasTattoos = v }, f => f.HasTattoos, (f, v) => f with { HasTattoos = v }),
        Flag("hasPiercings", a => a.HasPiercings, (a, v) => a with { HasPiercings = v }, f => f.HasPiercings, (f, v) => f with { HasPiercings = v }),
        Enum<VoicePitch>("voicePitch", a => a.VoicePitch, (a, v) => a with { VoicePitch = v }, f => f.VoicePitches, (f, v) => f with { VoicePitches = v }),
        Enum<VoiceTone>("voiceTone", a => a.VoiceTone, (a, v) => a with { VoiceTone = v }, f => f.VoiceTones, (f, v) => f with { VoiceTones = v }),
        Enum<Accent>("accent", a => a.Accent, (a, v) => a with { Accent = v }, f => f.Accents, (f, v) => f with { Accents = v }),
        Enum<Language>("primaryLanguage", a => a.PrimaryLanguage, (a, v) => a with { PrimaryLanguage = v }, f => f.PrimaryLanguages, (f, v) => f with { PrimaryLanguages = v }),
    ];

    private static readonly Dictionary<string, SearchAttribute> ByName = All.ToDictionary(a => a.Name, StringComparer.Ordinal);

    /// <summary>The enum and boolean attributes: those with a finite set of values (and facets).</summary>
    public static IReadOnlyList<DiscreteAttribute> Discrete { get; } = [.. All.OfType<DiscreteAttribute>()];

    public static IReadOnlyList<RangeAttribute> Ranges { get; } = [.. All.OfType<RangeAttribute>()];

    /// <summary>The attribute with this API name (case-sensitive, as the API spells it), or null.</summary>
    public static SearchAttribute? Find(string name) => ByName.GetValueOrDefault(name);

    public static SearchAttribute Get(string name) =>
        Find(name) ?? throw new ArgumentOutOfRangeException(nameof(name), name, "Not a searchable attribute.");

    /// <summary>True when no attribute is filtered: every indexed account matches.</summary>
    public static bool IsUnfiltered(SearchFilters filters) => !All.Any(a => a.IsFiltered(filters));

    /// <summary>
    /// The meaning of <see cref="SearchFilters"/>, the same as the SQL of
    /// <see cref="LikenessSearchAccess.SearchByFiltersAsync"/>: AND across attributes, OR within a
    /// list, inclusive ranges, and an unknown (null) attribute never matches a given filter.
    /// </summary>
    public static bool Matches(SearchFilters filters, SearchAttributes attributes) =>
        All.All(a => !a.IsFiltered(filters) || a.Matches(filters, attributes));

    /// <summary>
    /// What a partial match is measured by: the filtered attributes of <paramref name="filters"/>,
    /// in catalogue order, split into those in <paramref name="strict"/>, which a partial match
    /// must satisfy, and the others, of which it satisfies at least one but not all (see
    /// <see cref="LikenessSearchAccess.SearchPartialAsync"/>).
    /// </summary>
    public static (IReadOnlyList<SearchAttribute> Strict, IReadOnlyList<SearchAttribute> Counted) PartialSplit(
        SearchFilters filters, IReadOnlyCollection<SearchAttribute> strict)
    {
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentNullException.ThrowIfNull(strict);
        var split = All.Where(a => a.IsFiltered(filters)).ToLookup(strict.Contains);
        return ([.. split[true]], [.. split[false]]);
    }

    /// <summary>The filters on <paramref name="attributes"/> alone, every other one left out.</summary>
    public static SearchFilters Keep(SearchFilters filters, IReadOnlyCollection<SearchAttribute> attributes)
    {
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentNullException.ThrowIfNull(attributes);
        return All.Where(a => !attributes.Contains(a)).Aggregate(filters, (kept, a) => a.WithoutFilter(kept));
    }

    /// <summary>
    /// The attributes the filters pin to one value (a list of one, a flag, a range whose ends are
    /// equal), as an account with exactly those attributes would have them: the text to embed for
    /// a query is then the same kind of text the indexer embeds.
    /// </summary>
    public static SearchAttributes PinnedAttributes(SearchFilters filters) =>
        All.Aggregate(new SearchAttributes(), (attributes, a) => a.Pin(filters, attributes));

    private static EnumAttribute<T> Enum<T>(
        string name,
        Func<SearchAttributes, T?> get,
        Func<SearchAttributes, T?, SearchAttributes> set,
        Func<SearchFilters, IReadOnlyList<T>?> filter,
        Func<SearchFilters, IReadOnlyList<T>?, SearchFilters> setFilter)
        where T : struct, Enum => new(name, get, set, filter, setFilter);

    private static FlagAttribute Flag(
        string name,
        Func<SearchAttributes, bool?> get,
        Func<SearchAttributes, bool?, SearchAttributes> set,
        Func<SearchFilters, bool?> filter,
        Func<SearchFilters, bool?, SearchFilters> setFilter) => new(name, get, set, filter, setFilter);

    private static RangeAttribute<T> Range<T>(
        string name,
        string filterSuffix,
        string unit,
        Func<SearchAttributes, T?> get,
        Func<SearchAttributes, T?, SearchAttributes> set,
        Func<SearchFilters, (T? Min, T? Max)> filter,
        Func<SearchFilters, T?, T?, SearchFilters> setFilter,
        Func<T, string>? describe = null)
        where T : struct, INumber<T> => new(name, filterSuffix, unit, get, set, filter, setFilter, describe);

    private static string FollowerBand(long followers) => followers switch
    {
        < 10_000 => "under 10k",
        < 100_000 => "10k to 100k",
        < 1_000_000 => "100k to 1m",
        < 10_000_000 => "1m to 10m",
        _ => "over 10m",
    };
}

/// <summary>One searchable attribute (see <see cref="SearchAttributeCatalog"/>).</summary>
public abstract class SearchAttribute
{
    private protected SearchAttribute(string name)
    {
        Name = name;
        Column = System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
    }

    /// <summary>The API's name: the JSON property of results and, for enums and flags, of the filter.</summary>
    public string Name { get; }

    /// <summary>The <c>likeness_search</c> column.</summary>
    public string Column { get; }

    /// <summary>How the tag text names the attribute: <c>hair color</c>.</summary>
    public string Words => Column.Replace('_', ' ');

    /// <summary>The CLR type of the value: an enum, <see cref="bool"/>, or a number type.</summary>
    public abstract Type ValueType { get; }

    public abstract bool IsFiltered(SearchFilters filters);

    /// <summary>Whether the account passes this attribute's filter (which must be given).</summary>
    public abstract bool Matches(SearchFilters filters, SearchAttributes attributes);

    /// <summary>The filters with this attribute's own filter removed (the faceted-search rule).</summary>
    public abstract SearchFilters WithoutFilter(SearchFilters filters);

    /// <summary>Sets the attribute when the filter allows exactly one value; otherwise unchanged.</summary>
    public abstract SearchAttributes Pin(SearchFilters filters, SearchAttributes attributes);

    /// <summary>The value as the database column takes it: an enum's label, a bool, a number; null when unknown.</summary>
    public abstract object? DbValueOf(SearchAttributes attributes);

    /// <summary>Sets the attribute from what the column gave back (an enum read as text); DBNull or null is unknown.</summary>
    public abstract SearchAttributes WithDbValue(SearchAttributes attributes, object? value);

    /// <summary>The value in the tag text's words (<c>blonde</c>, <c>yes</c>, <c>1990s</c>); null when unknown.</summary>
    public abstract string? Describe(SearchAttributes attributes);
}

/// <summary>
/// An attribute with a finite list of values, numbered by ordinal: an enum (its labels in
/// declaration order) or a flag (<c>false</c>, <c>true</c>).
/// </summary>
public abstract class DiscreteAttribute : SearchAttribute
{
    private protected DiscreteAttribute(string name) : base(name)
    {
    }

    /// <summary>Every value as the API spells it, by ordinal.</summary>
    public abstract IReadOnlyList<string> Labels { get; }

    /// <summary>The PostgreSQL enum type the column has, or null for a boolean column.</summary>
    public abstract string? DbTypeName { get; }

    /// <summary>The ordinal of the account's value, or -1 when unknown.</summary>
    public abstract int OrdinalOf(SearchAttributes attributes);

    /// <summary>The ordinals the filter accepts (any of them), or null when not filtered.</summary>
    public abstract IReadOnlyList<int>? FilteredOrdinals(SearchFilters filters);

    /// <summary>The filters with this attribute's filter set to accept any of <paramref name="ordinals"/>.</summary>
    public abstract SearchFilters WithOrdinals(SearchFilters filters, IReadOnlyList<int> ordinals);

    /// <summary>The ordinal of a label (any case), or -1.</summary>
    public abstract int OrdinalOfLabel(string label);

    public override bool Matches(SearchFilters filters, SearchAttributes attributes) =>
        FilteredOrdinals(filters)!.Contains(OrdinalOf(attributes));
}

public sealed class EnumAttribute<T> : DiscreteAttribute where T : struct, Enum
{
    private static readonly T[] Values = Enum.GetValues<T>();
    private readonly Func<SearchAttributes, T?> get;
    private readonly Func<SearchAttributes, T?, SearchAttributes> set;
    private readonly Func<SearchFilters, IReadOnlyList<T>?> filter;
    private readonly Func<SearchFilters, IReadOnlyList<T>?, SearchFilters> setFilter;

    internal EnumAttribute(
        string name,
        Func<SearchAttributes, T?> get,
        Func<SearchAttributes, T?, SearchAttributes> set,
        Func<SearchFilters, IReadOnlyList<T>?> filter,
        Func<SearchFilters, IReadOnlyList<T>?, SearchFilters> setFilter) : base(name) =>
        (this.get, this.set, this.filter, this.setFilter) = (get, set, filter, setFilter);

    public override Type ValueType => typeof(T);

    public override IReadOnlyList<string> Labels => DbEnum<T>.AllLabels;

    public override string DbTypeName => DbEnum<T>.TypeName;

    public T? Get(SearchAttributes attributes) => get(attributes);

    public IReadOnlyList<T>? Filter(SearchFilters filters) => filter(filters);

    public override bool IsFiltered(SearchFilters filters) => filter(filters) is { Count: > 0 };

    public override SearchFilters WithoutFilter(SearchFilters filters) => setFilter(filters, null);

    public override SearchAttributes Pin(SearchFilters filters, SearchAttributes attributes) =>
        filter(filters) is [var only] ? set(attributes, only) : attributes;

    public override int OrdinalOf(SearchAttributes attributes) => get(attributes) is { } value ? Array.IndexOf(Values, value) : -1;

    public override IReadOnlyList<int>? FilteredOrdinals(SearchFilters filters) =>
        filter(filters) is { Count: > 0 } values ? [.. values.Select(v => Array.IndexOf(Values, v) is >= 0 and var ordinal
            ? ordinal
            : throw new ArgumentOutOfRangeException(nameof(filters), v, $"Not a defined {typeof(T).Name} value."))] : null;

    public override SearchFilters WithOrdinals(SearchFilters filters, IReadOnlyList<int> ordinals) =>
        setFilter(filters, [.. ordinals.Distinct().Select(o => Values[o])]);

    public override int OrdinalOfLabel(string label) => DbEnum<T>.TryParse(label, out var value) ? Array.IndexOf(Values, value) : -1;

    public override object? DbValueOf(SearchAttributes attributes) => DbEnum<T>.ToLabel(get(attributes), "data");

    public override SearchAttributes WithDbValue(SearchAttributes attributes, object? value) =>
        set(attributes, value is string label ? DbEnum<T>.Parse(label) : null);

    public override string? Describe(SearchAttributes attributes) =>
        get(attributes) is { } value ? DbEnum<T>.ToLabel(value).Replace('_', ' ').ToLowerInvariant() : null;
}

public sealed class FlagAttribute : DiscreteAttribute
{
    private static readonly string[] FlagLabels = ["false", "true"];
    private readonly Func<SearchAttributes, bool?> get;
    private readonly Func<SearchAttributes, bool?, SearchAttributes> set;
    private readonly Func<SearchFilters, bool?> filter;
    private readonly Func<SearchFilters, bool?, SearchFilters> setFilter;

    internal FlagAttribute(
        string name,
        Func<SearchAttributes, bool?> get,
        Func<SearchAttributes, bool?, SearchAttributes> set,
        Func<SearchFilters, bool?> filter,
        Func<SearchFilters, bool?, SearchFilters> setFilter) : base(name) =>
        (this.get, this.set, this.filter, this.setFilter) = (get, set, filter, setFilter);

    public override Type ValueType => typeof(bool);

    public override IReadOnlyList<string> Labels => FlagLabels;

    public override string? DbTypeName => null;

    public bool? Get(SearchAttributes attributes) => get(attributes);

    public bool? Filter(SearchFilters filters) => filter(filters);

    public override bool IsFiltered(SearchFilters filters) => filter(filters) is not null;

    public override SearchFilters WithoutFilter(SearchFilters filters) => setFilter(filters, null);

    public override SearchAttributes Pin(SearchFilters filters, SearchAttributes attributes) =>
        filter(filters) is { } value ? set(attributes, value) : attributes;

    public override int OrdinalOf(SearchAttributes attributes) => get(attributes) is { } value ? (value ? 1 : 0) : -1;

    public override IReadOnlyList<int>? FilteredOrdinals(SearchFilters filters) => filter(filters) is { } value ? [value ? 1 : 0] : null;

    /// <remarks>A flag filter is one value: both values mean no filter.</remarks>
    public override SearchFilters WithOrdinals(SearchFilters filters, IReadOnlyList<int> ordinals) =>
        setFilter(filters, ordinals.Distinct().ToList() is [var only] ? only == 1 : null);

    public override int OrdinalOfLabel(string label) => bool.TryParse(label, out var value) ? (value ? 1 : 0) : -1;

    public override object? DbValueOf(SearchAttributes attributes) => get(attributes);

    public override SearchAttributes WithDbValue(SearchAttributes attributes, object? value) => set(attributes, value as bool?);

    public override string? Describe(SearchAttributes attributes) => get(attributes) is { } value ? (value ? "yes" : "no") : null;
}

/// <summary>A numeric attribute, filtered by an inclusive range whose ends are separate fields.</summary>
public abstract class RangeAttribute : SearchAttribute
{
    private protected RangeAttribute(string name, string filterSuffix, string unit) : base(name)
    {
        MinName = "min" + filterSuffix;
        MaxName = "max" + filterSuffix;
        Unit = unit;
    }

    /// <summary>The request field of the range's lower end: <c>minHeight</c>.</summary>
    public string MinName { get; }

    public string MaxName { get; }

    /// <summary>What the number counts or measures: <c>cm</c>, <c>kg</c>, <c>percent</c>, <c>year</c>, <c>followers</c>.</summary>
    public string Unit { get; }

    /// <summary>Whether values are whole numbers (any fraction is refused).</summary>
    public abstract bool IsWhole { get; }

    public abstract double? NumberOf(SearchAttributes attributes);

    public abstract (double? Min, double? Max) FilteredRange(SearchFilters filters);

    /// <summary>The range's ends as the column's own type, for SQL parameters that keep its index usable.</summary>
    public abstract (object? Min, object? Max) DbRangeOf(SearchFilters filters);

    /// <summary>The filters with this range set; values beyond the type's range saturate.</summary>
    public abstract SearchFilters WithRange(SearchFilters filters, double? min, double? max);

    /// <summary>Parses a value as the API takes it: invariant culture, whole numbers without exponent or fraction.</summary>
    public abstract bool TryParse(string text, out double value);

    public override bool IsFiltered(SearchFilters filters) => FilteredRange(filters) is not (null, null);

    public override bool Matches(SearchFilters filters, SearchAttributes attributes) =>
        NumberOf(attributes) is { } value && FilteredRange(filters) is var (low, high)
        && (low is not { } from || value >= from) && (high is not { } to || value <= to);

    public override SearchFilters WithoutFilter(SearchFilters filters) => WithRange(filters, null, null);
}

public sealed class RangeAttribute<T> : RangeAttribute where T : struct, INumber<T>
{
    private readonly Func<SearchAttributes, T?> get;
    private readonly Func<SearchAttributes, T?, SearchAttributes> set;
    private readonly Func<SearchFilters, (T? Min, T? Max)> filter;
    private readonly Func<SearchFilters, T?, T?, SearchFilters> setFilter;
    private readonly Func<T, string> describe;

    internal RangeAttribute(
        string name,
        string filterSuffix,
        string unit,
        Func<SearchAttributes, T?> get,
        Func<SearchAttributes, T?, SearchAttributes> set,
        Func<SearchFilters, (T? Min, T? Max)> filter,
        Func<SearchFilters, T?, T?, SearchFilters> setFilter,
        Func<T, string>? describe) : base(name, filterSuffix, unit)
    {
        (this.get, this.set, this.filter, this.setFilter) = (get, set, filter, setFilter);
        this.describe = describe ?? (value => value.ToString(null, CultureInfo.InvariantCulture));
    }

    public override Type ValueType => typeof(T);

    public override bool IsWhole => typeof(T) != typeof(double);

    public T? Get(SearchAttributes attributes) => get(attributes);

    public (T? Min, T? Max) Filter(SearchFilters filters) => filter(filters);

    public override double? NumberOf(SearchAttributes attributes) => get(attributes) is { } value ? double.CreateChecked(value) : null;

    public override (double? Min, double? Max) FilteredRange(SearchFilters filters) =>
        filter(filters) is var (low, high) ? (ToDouble(low), ToDouble(high)) : default;

    public override (object? Min, object? Max) DbRangeOf(SearchFilters filters) => filter(filters);

    public override SearchFilters WithRange(SearchFilters filters, double? min, double? max) =>
        setFilter(filters, min is { } low ? T.CreateSaturating(low) : null, max is { } high ? T.CreateSaturating(high) : null);

    public override bool TryParse(string text, out double value)
    {
        var style = IsWhole ? NumberStyles.AllowLeadingSign : NumberStyles.Float;
        var parsed = T.TryParse(text, style, CultureInfo.InvariantCulture, out var number) && T.IsFinite(number);
        value = parsed ? double.CreateChecked(number) : 0;
        return parsed;
    }

    public override SearchAttributes Pin(SearchFilters filters, SearchAttributes attributes) =>
        filter(filters) is ({ } low, { } high) && low == high ? set(attributes, low) : attributes;

    public override object? DbValueOf(SearchAttributes attributes) => get(attributes);

    public override SearchAttributes WithDbValue(SearchAttributes attributes, object? value) =>
        set(attributes, value is T number ? number : null);

    public override string? Describe(SearchAttributes attributes) => get(attributes) is { } value ? describe(value) : null;

    private static double? ToDouble(T? value) => value is { } v ? double.CreateChecked(v) : null;
}
