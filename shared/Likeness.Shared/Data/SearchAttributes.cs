namespace Likeness.Shared.Data;

/// <summary>
/// The searchable attributes of a likeness: the columns of <c>likeness_search</c> and, as JSON,
/// the tags an AI model extracts into <c>likeness_assets.search_tags</c>. Null means unknown.
/// </summary>
public sealed record SearchAttributes
{
    public Category? Category { get; init; }
    public Gender? Gender { get; init; }
    public Country? Country { get; init; }
    public TargetAudience? TargetAudience { get; init; }
    public long? NumberOfFollowers { get; init; }
    public Platform? PrimaryPlatform { get; init; }
    public bool? IsVerified { get; init; }
    public ContentNiche? ContentNiche { get; init; }
    public double? EngagementRate { get; init; }
    public int? BirthYear { get; init; }
    public int? Height { get; init; }
    public int? Weight { get; init; }
    public BodyType? BodyType { get; init; }
    public HairColor? HairColor { get; init; }
    public HairLength? HairLength { get; init; }
    public HairType? HairType { get; init; }
    public EyeColor? EyeColor { get; init; }
    public SkinColor? SkinColor { get; init; }
    public Ethnicity? Ethnicity { get; init; }
    public FaceShape? FaceShape { get; init; }
    public FacialHair? FacialHair { get; init; }
    public bool? WearGlasses { get; init; }
    public bool? HasTattoos { get; init; }
    public bool? HasPiercings { get; init; }
    public VoicePitch? VoicePitch { get; init; }
    public VoiceTone? VoiceTone { get; init; }
    public Accent? Accent { get; init; }
    public Language? PrimaryLanguage { get; init; }
}
