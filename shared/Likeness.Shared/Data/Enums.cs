using NpgsqlTypes;

namespace Likeness.Shared.Data;

// Each enum mirrors a PostgreSQL enum type (named by [PgName]); member names convert to
// the database's UPPER_SNAKE labels, with [PgName] where the conversion would differ.

[PgName("likeness_search_category")]
public enum Category { Models, Actors, Musicians, Athletes, Influencers, Creators, VoiceArtists, Dancers, Comedians, Presenters, Other }

[PgName("likeness_search_gender")]
public enum Gender { Male, Female, NonBinary }

[PgName("likeness_search_country")]
public enum Country
{
    [PgName("USA")] Usa,
    [PgName("UK")] Uk,
    Canada, Australia, Ireland, Germany, France, Spain, Italy, Netherlands, Sweden, Poland, Brazil, Mexico,
    Argentina, Colombia, India, Japan, SouthKorea, China, Philippines, Nigeria, SouthAfrica,
    [PgName("UAE")] Uae,
    Israel, Other,
}

[PgName("likeness_search_target_audience")]
public enum TargetAudience
{
    [PgName("AGE_18_35")] Age18To35,
    [PgName("AGE_35_55")] Age35To55,
    [PgName("AGE_55_PLUS")] Age55Plus,
    Luxury, MassMarket, Fitness, Family, Gaming, Tech, Business,
}

[PgName("likeness_search_content_niche")]
public enum ContentNiche { Fashion, Fitness, Beauty, Lifestyle, Travel, Food, Gaming, Tech, Music, Comedy, Education, Sports, Parenting, Business, Art, Other }

[PgName("likeness_search_primary_platform")]
public enum Platform
{
    Instagram,
    [PgName("TIKTOK")] TikTok,
    Twitter,
    [PgName("YOUTUBE")] YouTube,
    [PgName("LINKEDIN")] LinkedIn,
    Facebook, Twitch, Snapchat,
    [PgName("ONLYFANS")] OnlyFans,
}

[PgName("likeness_search_body_type")]
public enum BodyType { Slim, Athletic, Muscular, Average, Curvy, PlusSize, Petite }

[PgName("likeness_search_hair_color")]
public enum HairColor { Black, Brown, Blonde, Red, Auburn, Gray, White, Colored, Bald }

[PgName("likeness_search_hair_length")]
public enum HairLength { Short, Medium, Long, VeryLong }

[PgName("likeness_search_hair_type")]
public enum HairType { Straight, Curly, Wavy, Kinky }

[PgName("likeness_search_eye_color")]
public enum EyeColor { Blue, Brown, Green, Hazel, Gray, Amber, Black }

[PgName("likeness_search_skin_color")]
public enum SkinColor { Fair, Light, Medium, Olive, Tan, Brown, Dark }

[PgName("likeness_search_ethnicity")]
public enum Ethnicity { Caucasian, AfricanAmerican, African, Asian, SouthAsian, Hispanic, MiddleEastern, PacificIslander, NativeAmerican, Mixed, Other }

[PgName("likeness_search_face_shape")]
public enum FaceShape { Oval, Round, Square, Heart, Oblong, Diamond, Triangle }

[PgName("likeness_search_facial_hair")]
public enum FacialHair { CleanShaven, Stubble, BeardShort, BeardFull, Mustache, Goatee }

[PgName("likeness_search_voice_pitch")]
public enum VoicePitch { VeryHigh, High, Medium, Low, VeryLow }

[PgName("likeness_search_voice_tone")]
public enum VoiceTone { Warm, Authoritative, Friendly, Energetic, Calm, Raspy, Soft, Professional, Playful }

[PgName("likeness_search_accent")]
public enum Accent
{
    AmericanGeneral, AmericanSouthern,
    [PgName("BRITISH_RP")] BritishRp,
    BritishRegional, Australian, Canadian, Irish, Scottish, Indian, SouthAfrican, French, German, Spanish,
    LatinAmerican, Neutral, Other,
}

[PgName("likeness_search_language")]
public enum Language { English, Spanish, French, German, Italian, Portuguese, Dutch, Polish, Russian, Chinese, Japanese, Korean, Hindi, Arabic, Hebrew, Other }

[PgName("likeness_need_indexing_queue_element_type")]
public enum QueueElementType { ImageAsset, VoiceAsset, VoiceTerm, ImageTerm, LikenessTerm, ProfileDescription, SocialData }

[PgName("likeness_need_indexing_queue_status")]
public enum QueueStatus { Pending, InProgress, Completed, Failed, Discarded, Timeout, AwaitingRetry }

[PgName("likeness_assets_type")]
public enum AssetType { Image, Voice }

[PgName("media_status")]
public enum MediaStatus { Uploading, Complete, SoftDelete, Delete }

[PgName("ip_terms_type")]
public enum IpTermType { Likeness, Image, VoiceOver }

[PgName("ip_terms_status")]
public enum IpTermStatus { Draft, Pending, Approved, Rejected, Revoked }
