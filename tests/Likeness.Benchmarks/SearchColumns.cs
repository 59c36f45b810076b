using Likeness.Shared.Data;
using NpgsqlTypes;

namespace Likeness.Benchmarks;

/// <summary>The attribute columns of <c>likeness_search</c> as binary COPY writes them (enums as their labels).</summary>
internal static class SearchColumns
{
    public static IReadOnlyList<SearchColumn> All { get; } =
    [
        Enum("category", a => a.Category),
        Enum("gender", a => a.Gender),
        Enum("country", a => a.Country),
        Enum("target_audience", a => a.TargetAudience),
        new("number_of_followers", a => a.NumberOfFollowers, NpgsqlDbType.Bigint),
        Enum("primary_platform", a => a.PrimaryPlatform),
        new("is_verified", a => a.IsVerified, NpgsqlDbType.Boolean),
        Enum("content_niche", a => a.ContentNiche),
        new("engagement_rate", a => a.EngagementRate, NpgsqlDbType.Double),
        new("birth_year", a => a.BirthYear, NpgsqlDbType.Integer),
        new("height", a => a.Height, NpgsqlDbType.Integer),
        new("weight", a => a.Weight, NpgsqlDbType.Integer),
        Enum("body_type", a => a.BodyType),
        Enum("hair_color", a => a.HairColor),
        Enum("hair_length", a => a.HairLength),
        Enum("hair_type", a => a.HairType),
        Enum("eye_color", a => a.EyeColor),
        Enum("skin_color", a => a.SkinColor),
        Enum("ethnicity", a => a.Ethnicity),
        Enum("face_shape", a => a.FaceShape),
        Enum("facial_hair", a => a.FacialHair),
        new("wear_glasses", a => a.WearGlasses, NpgsqlDbType.Boolean),
        new("has_tattoos", a => a.HasTattoos, NpgsqlDbType.Boolean),
        new("has_piercings", a => a.HasPiercings, NpgsqlDbType.Boolean),
        Enum("voice_pitch", a => a.VoicePitch),
        Enum("voice_tone", a => a.VoiceTone),
        Enum("accent", a => a.Accent),
        Enum("primary_language", a => a.PrimaryLanguage),
    ];

    private static SearchColumn Enum<T>(string name, Func<SearchAttributes, T?> get) where T : struct, System.Enum =>
        new(name, a => DbEnum<T>.ToLabel(get(a)), NpgsqlDbType.Text);
}

/// <param name="Value">The column's value for an account, null when unknown.</param>
internal sealed record SearchColumn(string Name, Func<SearchAttributes, object?> Value, NpgsqlDbType Type);
