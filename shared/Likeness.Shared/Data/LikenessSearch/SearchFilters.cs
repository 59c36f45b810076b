namespace Likeness.Shared.Data;

/// <summary>
/// Exact filters over <c>likeness_search</c>. A row matches when it matches every given field
/// (AND); a list matches any of its values (OR). Null or empty means no filter on that field.
/// Ranges are inclusive, and a row whose value is unknown (NULL) never matches a given filter.
/// </summary>
public sealed record SearchFilters
{
    public IReadOnlyList<Category>? Categories { get; init; }
    public IReadOnlyList<Gender>? Genders { get; init; }
    public IReadOnlyList<Country>? Countries { get; init; }
    public IReadOnlyList<TargetAudience>? TargetAudiences { get; init; }
    public long? MinFollowers { get; init; }
    public long? MaxFollowers { get; init; }
    public IReadOnlyList<Platform>? PrimaryPlatforms { get; init; }
    public bool? IsVerified { get; init; }
    public IReadOnlyList<ContentNiche>? ContentNiches { get; init; }
    public double? MinEngagementRate { get; init; }
    public double? MaxEngagementRate { get; init; }
    public int? MinBirthYear { get; init; }
    public int? MaxBirthYear { get; init; }
    public int? MinHeight { get; init; }
    public int? MaxHeight { get; init; }
    public int? MinWeight { get; init; }
    public int? MaxWeight { get; init; }
    public IReadOnlyList<BodyType>? BodyTypes { get; init; }
    public IReadOnlyList<HairColor>? HairColors { get; init; }
    public IReadOnlyList<HairLength>? HairLengths { get; init; }
    public IReadOnlyList<HairType>? HairTypes { get; init; }
    public IReadOnlyList<EyeColor>? EyeColors { get; init; }
    public IReadOnlyList<SkinColor>? SkinColors { get; init; }
    public IReadOnlyList<Ethnicity>? Ethnicities { get; init; }
    public IReadOnlyList<FaceShape>? FaceShapes { get; init; }
    public IReadOnlyList<FacialHair>? FacialHairStyles { get; init; }
    public bool? WearGlasses { get; init; }
    public bool? HasTattoos { get; init; }
    public bool? HasPiercings { get; init; }
    public IReadOnlyList<VoicePitch>? VoicePitches { get; init; }
    public IReadOnlyList<VoiceTone>? VoiceTones { get; init; }
    public IReadOnlyList<Accent>? Accents { get; init; }
    public IReadOnlyList<Language>? PrimaryLanguages { get; init; }
}
