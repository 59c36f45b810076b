using System.Globalization;
using System.Text;
using Likeness.Shared.Data;

namespace Likeness.Shared.Seeding;

/// <summary>
/// One synthetic talent: who they are (<see cref="Person"/>), and the rows that describe them the
/// way the platform would hold them: the tags a model would read from each photo and recording,
/// their IP terms and their social links.
/// </summary>
public sealed record DemoProfile(
    int Index,
    string DisplayName,
    string Slug,
    string Description,
    SearchAttributes Person,
    IReadOnlyList<SearchAttributes> ImageTags,
    IReadOnlyList<SearchAttributes> VoiceTags,
    IReadOnlyList<DemoTerm> Terms,
    IReadOnlyList<DemoSocialLink> SocialLinks)
{
    /// <summary>Voice samples are rendered, and shown in search, only under an approved VoiceOver term.</summary>
    public bool HasApprovedVoiceOver => Terms.Any(t => t is { Type: IpTermType.VoiceOver, Status: IpTermStatus.Approved });
}

public sealed record DemoTerm(IpTermType Type, IpTermStatus Status);

public sealed record DemoSocialLink(Platform Platform, string Url, long? FollowersCount);

/// <summary>
/// Generates <see cref="DemoProfile"/>s. The same seed and index always give the same profile, on
/// any machine, so demo data and benchmarks are reproducible. Attributes follow skewed, correlated
/// distributions (brown hair is common and red hair rare; skin, hair and eye colour follow
/// background; follower counts are log-normal), so filters narrow results the way real data would.
/// </summary>
public static class DemoProfiles
{
    /// <summary>Birth years count back from a fixed year, not the clock, so a seed means the same data every year.</summary>
    public const int ReferenceYear = 2026;

    private static readonly Distribution<Gender> Genders = new((Gender.Female, 50), (Gender.Male, 46), (Gender.NonBinary, 4));

    private static readonly Distribution<Country> Countries = new(
        (Country.Usa, 28), (Country.Uk, 10), (Country.Canada, 5), (Country.Australia, 4), (Country.Brazil, 6), (Country.Mexico, 4),
        (Country.India, 6), (Country.Germany, 4), (Country.France, 4), (Country.Spain, 3), (Country.Italy, 3), (Country.Nigeria, 3),
        (Country.Philippines, 3), (Country.Japan, 2), (Country.SouthKorea, 2), (Country.Netherlands, 2), (Country.Argentina, 2),
        (Country.Colombia, 2), (Country.SouthAfrica, 2), (Country.Ireland, 1.5), (Country.Sweden, 1.5), (Country.Poland, 1.5),
        (Country.China, 1), (Country.Uae, 1), (Country.Israel, 1), (Country.Other, 2));

    private static readonly Distribution<Ethnicity> AngloEthnicities = new(
        (Ethnicity.Caucasian, 56), (Ethnicity.AfricanAmerican, 12), (Ethnicity.Hispanic, 12), (Ethnicity.Asian, 7), (Ethnicity.SouthAsian, 4),
        (Ethnicity.Mixed, 6), (Ethnicity.MiddleEastern, 2), (Ethnicity.NativeAmerican, 0.5), (Ethnicity.PacificIslander, 0.5));

    private static readonly Distribution<Ethnicity> EuropeanEthnicities = new(
        (Ethnicity.Caucasian, 80), (Ethnicity.MiddleEastern, 6), (Ethnicity.African, 5), (Ethnicity.Mixed, 5), (Ethnicity.Asian, 3), (Ethnicity.SouthAsian, 1));

    private static readonly Distribution<Ethnicity> LatinEthnicities = new(
        (Ethnicity.Hispanic, 66), (Ethnicity.Caucasian, 14), (Ethnicity.Mixed, 12), (Ethnicity.African, 5), (Ethnicity.NativeAmerican, 3));

    private static readonly Distribution<Ethnicity> OtherEthnicities = new(
        (Ethnicity.Mixed, 30), (Ethnicity.Caucasian, 20), (Ethnicity.Asian, 15), (Ethnicity.African, 10), (Ethnicity.Hispanic, 10),
        (Ethnicity.MiddleEastern, 8), (Ethnicity.PacificIslander, 4), (Ethnicity.Other, 3));

    private static readonly Distribution<Category> Categories = new(
        (Category.Influencers, 24), (Category.Creators, 20), (Category.Models, 14), (Category.Actors, 10), (Category.Musicians, 7),
        (Category.Athletes, 6), (Category.VoiceArtists, 6), (Category.Presenters, 4), (Category.Dancers, 4), (Category.Comedians, 3), (Category.Other, 2));

    private static readonly Distribution<ContentNiche> CreatorNiches = new(
        (ContentNiche.Lifestyle, 20), (ContentNiche.Fashion, 12), (ContentNiche.Beauty, 12), (ContentNiche.Fitness, 10), (ContentNiche.Travel, 10),
        (ContentNiche.Food, 10), (ContentNiche.Gaming, 8), (ContentNiche.Tech, 6), (ContentNiche.Education, 4), (ContentNiche.Parenting, 4),
        (ContentNiche.Business, 2), (ContentNiche.Art, 2));

    private static readonly Distribution<(int Min, int Max)> AgeBands = new(((18, 24), 30), ((25, 34), 38), ((35, 44), 18), ((45, 54), 9), ((55, 72), 5));

    private static readonly Distribution<int> ImageCounts = new((1, 20), (2, 35), (3, 30), (4, 15));

    private static readonly Distribution<int> PlatformCounts = new((1, 30), (2, 35), (3, 22), (4, 10), (5, 3));

    private static readonly Distribution<Platform> Platforms = new(
        (Platform.Instagram, 38), (Platform.TikTok, 27), (Platform.YouTube, 15), (Platform.Twitter, 7), (Platform.Facebook, 4),
        (Platform.Twitch, 3), (Platform.LinkedIn, 3), (Platform.Snapchat, 2), (Platform.OnlyFans, 1));

    private static readonly Distribution<FaceShape> FaceShapes = new(
        (FaceShape.Oval, 35), (FaceShape.Round, 18), (FaceShape.Square, 15), (FaceShape.Heart, 12), (FaceShape.Oblong, 10), (FaceShape.Diamond, 6), (FaceShape.Triangle, 4));

    private static readonly Distribution<VoiceTone> VoiceTones = new(
        (VoiceTone.Friendly, 20), (VoiceTone.Warm, 18), (VoiceTone.Energetic, 14), (VoiceTone.Calm, 12), (VoiceTone.Professional, 12),
        (VoiceTone.Authoritative, 8), (VoiceTone.Soft, 8), (VoiceTone.Playful, 6), (VoiceTone.Raspy, 2));

    private static readonly Distribution<IpTermStatus> VoiceOverStatuses = new(
        (IpTermStatus.Approved, 75), (IpTermStatus.Pending, 15), (IpTermStatus.Rejected, 5), (IpTermStatus.Revoked, 5));

    private static readonly Distribution<IpTermStatus> ImageTermStatuses = new(
        (IpTermStatus.Approved, 70), (IpTermStatus.Pending, 20), (IpTermStatus.Draft, 10));

    public static DemoProfile Generate(int seed, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var random = new Random(Mix(seed, index));

        var gender = Genders.Sample(random);
        var country = Countries.Sample(random);
        var ethnicity = EthnicityFor(country).Sample(random);
        var birthYear = ReferenceYear - Age(random);
        var category = Categories.Sample(random);
        var niche = NicheFor(category).Sample(random);
        var bodyType = BodyTypeFor(gender, category).Sample(random);
        var height = Height(random, gender, bodyType, category);
        var hairColor = HairColorFor(ethnicity, gender, ReferenceYear - birthYear).Sample(random);

        var links = SocialLinks(random, category, niche);
        var followers = links.Sum(l => l.FollowersCount ?? 0);

        var person = new SearchAttributes
        {
            Category = category,
            Gender = gender,
            Country = country,
            TargetAudience = AudienceFor(niche, ReferenceYear - birthYear).Sample(random),
            ContentNiche = niche,
            IsVerified = random.Chance(Math.Clamp((Math.Log10(Math.Max(followers, 1)) - 4.3) / 2.5, 0.02, 0.95)),
            EngagementRate = Math.Round(Math.Clamp(random.LogNormal(Math.Log(7.5) - 0.22 * Math.Log10(Math.Max(followers, 100)), 0.5), 0.2, 25.0), 1),
            BirthYear = birthYear,
            Height = height,
            Weight = Weight(random, height, bodyType),
            BodyType = bodyType,
            HairColor = hairColor,
            HairLength = hairColor == HairColor.Bald ? HairLength.Short : HairLengthFor(gender).Sample(random),
            HairType = HairTypeFor(ethnicity).Sample(random),
            EyeColor = EyeColorFor(ethnicity).Sample(random),
            SkinColor = SkinColorFor(ethnicity).Sample(random),
            Ethnicity = ethnicity,
            FaceShape = FaceShapes.Sample(random),
            FacialHair = FacialHairFor(gender).Sample(random),
            WearGlasses = random.Chance(0.18),
            HasTattoos = random.Chance(ReferenceYear - birthYear < 35 ? 0.38 : 0.22),
            HasPiercings = random.Chance(gender == Gender.Male ? 0.12 : 0.4),
            VoicePitch = PitchFor(gender).Sample(random),
            VoiceTone = VoiceTones.Sample(random),
            Accent = AccentFor(country).Sample(random),
            PrimaryLanguage = LanguageFor(country).Sample(random),
        };

        var terms = Terms(random, category);
        var hasVoiceOverTerm = terms.Any(t => t.Type == IpTermType.VoiceOver);
        var imageTags = Enumerable.Range(0, ImageCounts.Sample(random)).Select(_ => ImageTags(random, person)).ToList();
        var voiceCount = hasVoiceOverTerm ? random.Next(1, 3) : random.Chance(0.1) ? 1 : 0;
        var voiceTags = Enumerable.Range(0, voiceCount).Select(_ => VoiceTags(random, person)).ToList();

        var region = DemoNames.For(country, ethnicity);
        var first = random.Pick(gender switch
        {
            Gender.Female => region.Female,
            Gender.Male => region.Male,
            _ => random.Chance(0.5) ? region.Female : region.Male,
        });
        var last = random.Pick(region.Last);
        var slug = $"{Slug(first)}-{Slug(last)}-{Suffix(random)}";
        var handle = Handle(random, first, last);
        links = links.Select(l => l with { Url = ProfileUrl(l.Platform, handle) }).ToList();

        return new DemoProfile(
            index, $"{first} {last}", slug, Describe(random, first, person, links, voiceCount > 0),
            person with { NumberOfFollowers = followers, PrimaryPlatform = links[0].Platform },
            imageTags, voiceTags, terms, links);
    }

    // SplitMix64 over (seed, index): neighbouring indexes get unrelated streams.
    private static int Mix(int seed, int index)
    {
        unchecked
        {
            var z = ((ulong)(uint)seed << 32 | (uint)index) + 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return (int)((z ^ (z >> 31)) & int.MaxValue);
        }
    }

    private static int Age(Random random)
    {
        var (min, max) = AgeBands.Sample(random);
        return random.Next(min, max + 1);
    }

    private static Distribution<Ethnicity> EthnicityFor(Country country) => country switch
    {
        Country.Usa or Country.Uk or Country.Canada or Country.Australia or Country.Ireland => AngloEthnicities,
        Country.Germany or Country.France or Country.Spain or Country.Italy or Country.Netherlands or Country.Sweden or Country.Poland => EuropeanEthnicities,
        Country.Brazil or Country.Mexico or Country.Argentina or Country.Colombia => LatinEthnicities,
        Country.India => new((Ethnicity.SouthAsian, 96), (Ethnicity.Mixed, 4)),
        Country.Japan or Country.SouthKorea or Country.China or Country.Philippines => new((Ethnicity.Asian, 94), (Ethnicity.Mixed, 4), (Ethnicity.Caucasian, 2)),
        Country.Nigeria => new((Ethnicity.African, 97), (Ethnicity.Mixed, 3)),
        Country.SouthAfrica => new((Ethnicity.African, 72), (Ethnicity.Caucasian, 10), (Ethnicity.Mixed, 10), (Ethnicity.SouthAsian, 8)),
        Country.Uae or Country.Israel => new((Ethnicity.MiddleEastern, 82), (Ethnicity.SouthAsian, 8), (Ethnicity.Caucasian, 6), (Ethnicity.Mixed, 4)),
        _ => OtherEthnicities,
    };

    private static Distribution<ContentNiche> NicheFor(Category category) => category switch
    {
        Category.Models => new((ContentNiche.Fashion, 45), (ContentNiche.Beauty, 30), (ContentNiche.Lifestyle, 15), (ContentNiche.Fitness, 10)),
        Category.Athletes => new((ContentNiche.Sports, 60), (ContentNiche.Fitness, 35), (ContentNiche.Lifestyle, 5)),
        Category.Musicians => new((ContentNiche.Music, 90), (ContentNiche.Lifestyle, 10)),
        Category.Comedians => new((ContentNiche.Comedy, 90), (ContentNiche.Lifestyle, 10)),
        Category.Dancers => new((ContentNiche.Music, 40), (ContentNiche.Fitness, 30), (ContentNiche.Art, 30)),
        Category.Actors => new((ContentNiche.Lifestyle, 30), (ContentNiche.Comedy, 20), (ContentNiche.Art, 20), (ContentNiche.Fashion, 15), (ContentNiche.Other, 15)),
        Category.VoiceArtists => new((ContentNiche.Education, 25), (ContentNiche.Gaming, 25), (ContentNiche.Art, 20), (ContentNiche.Business, 15), (ContentNiche.Other, 15)),
        Category.Presenters => new((ContentNiche.Education, 30), (ContentNiche.Business, 25), (ContentNiche.Tech, 20), (ContentNiche.Sports, 15), (ContentNiche.Travel, 10)),
        Category.Other => new((ContentNiche.Other, 60), (ContentNiche.Art, 40)),
        _ => CreatorNiches,
    };

    private static Distribution<TargetAudience> AudienceFor(ContentNiche niche, int age) => niche switch
    {
        ContentNiche.Fitness or ContentNiche.Sports => new((TargetAudience.Fitness, 60), (TargetAudience.Age18To35, 30), (TargetAudience.MassMarket, 10)),
        ContentNiche.Gaming => new((TargetAudience.Gaming, 75), (TargetAudience.Age18To35, 25)),
        ContentNiche.Tech => new((TargetAudience.Tech, 70), (TargetAudience.Business, 15), (TargetAudience.Age18To35, 15)),
        ContentNiche.Business => new((TargetAudience.Business, 70), (TargetAudience.Age35To55, 30)),
        ContentNiche.Parenting => new((TargetAudience.Family, 80), (TargetAudience.Age35To55, 20)),
        ContentNiche.Fashion or ContentNiche.Beauty => new((TargetAudience.Age18To35, 45), (TargetAudience.Luxury, 25), (TargetAudience.MassMarket, 30)),
        _ when age >= 50 => new((TargetAudience.Age55Plus, 45), (TargetAudience.Age35To55, 35), (TargetAudience.MassMarket, 20)),
        _ when age >= 35 => new((TargetAudience.Age35To55, 55), (TargetAudience.MassMarket, 30), (TargetAudience.Family, 15)),
        _ => new((TargetAudience.Age18To35, 60), (TargetAudience.MassMarket, 35), (TargetAudience.Luxury, 5)),
    };

    private static Distribution<BodyType> BodyTypeFor(Gender gender, Category category) => (gender, category) switch
    {
        (_, Category.Athletes) => new((BodyType.Athletic, 65), (BodyType.Muscular, 30), (BodyType.Slim, 5)),
        (Gender.Male, Category.Models) => new((BodyType.Athletic, 55), (BodyType.Slim, 30), (BodyType.Muscular, 15)),
        (_, Category.Models) => new((BodyType.Slim, 55), (BodyType.Athletic, 25), (BodyType.Petite, 10), (BodyType.Curvy, 10)),
        (Gender.Male, _) => new((BodyType.Average, 35), (BodyType.Athletic, 28), (BodyType.Slim, 15), (BodyType.Muscular, 14), (BodyType.PlusSize, 8)),
        (Gender.Female, _) => new((BodyType.Average, 28), (BodyType.Slim, 22), (BodyType.Athletic, 18), (BodyType.Curvy, 16), (BodyType.Petite, 9), (BodyType.PlusSize, 7)),
        _ => new((BodyType.Average, 35), (BodyType.Slim, 30), (BodyType.Athletic, 20), (BodyType.PlusSize, 8), (BodyType.Curvy, 7)),
    };

    private static int Height(Random random, Gender gender, BodyType bodyType, Category category)
    {
        var mean = gender switch { Gender.Male => 178.0, Gender.Female => 165.0, _ => 171.0 };
        mean += bodyType == BodyType.Petite ? -9 : 0;
        mean += category == Category.Models ? 6 : 0;
        return (int)Math.Round(Math.Clamp(random.Normal(mean, 6.8), 145, 206));
    }

    private static int Weight(Random random, int height, BodyType bodyType)
    {
        var bmi = bodyType switch
        {
            BodyType.Slim => 19.5,
            BodyType.Petite => 20.0,
            BodyType.Athletic => 22.5,
            BodyType.Average => 23.5,
            BodyType.Curvy => 25.5,
            BodyType.Muscular => 26.0,
            _ => 31.0,
        };
        var meters = height / 100.0;
        return (int)Math.Round(Math.Clamp(random.Normal(bmi, 1.3), 16.5, 45) * meters * meters);
    }

    private static Distribution<HairColor> HairColorFor(Ethnicity ethnicity, Gender gender, int age)
    {
        var baldness = gender == Gender.Male ? (age >= 40 ? 10.0 : 2.0) : 0.2;
        var gray = age >= 55 ? 30.0 : age >= 45 ? 10.0 : 1.0;
        return ethnicity is Ethnicity.Caucasian
            ? new((HairColor.Brown, 40), (HairColor.Blonde, 24), (HairColor.Black, 10), (HairColor.Red, 5), (HairColor.Auburn, 6),
                (HairColor.Colored, 4), (HairColor.Gray, gray), (HairColor.White, gray / 5), (HairColor.Bald, baldness))
            : new((HairColor.Black, 68), (HairColor.Brown, 22), (HairColor.Colored, 4), (HairColor.Blonde, 1), (HairColor.Auburn, 1),
                (HairColor.Gray, gray), (HairColor.White, gray / 5), (HairColor.Bald, baldness));
    }

    private static Distribution<HairLength> HairLengthFor(Gender gender) => gender switch
    {
        Gender.Male => new((HairLength.Short, 70), (HairLength.Medium, 22), (HairLength.Long, 7), (HairLength.VeryLong, 1)),
        Gender.Female => new((HairLength.Long, 42), (HairLength.Medium, 30), (HairLength.Short, 14), (HairLength.VeryLong, 14)),
        _ => new((HairLength.Short, 40), (HairLength.Medium, 35), (HairLength.Long, 20), (HairLength.VeryLong, 5)),
    };

    private static Distribution<HairType> HairTypeFor(Ethnicity ethnicity) => ethnicity switch
    {
        Ethnicity.African or Ethnicity.AfricanAmerican => new((HairType.Kinky, 45), (HairType.Curly, 35), (HairType.Wavy, 12), (HairType.Straight, 8)),
        Ethnicity.Asian => new((HairType.Straight, 80), (HairType.Wavy, 15), (HairType.Curly, 5)),
        Ethnicity.Mixed or Ethnicity.Hispanic or Ethnicity.MiddleEastern => new((HairType.Wavy, 38), (HairType.Curly, 27), (HairType.Straight, 30), (HairType.Kinky, 5)),
        _ => new((HairType.Straight, 50), (HairType.Wavy, 33), (HairType.Curly, 15), (HairType.Kinky, 2)),
    };

    private static Distribution<EyeColor> EyeColorFor(Ethnicity ethnicity) => ethnicity is Ethnicity.Caucasian
        ? new((EyeColor.Blue, 34), (EyeColor.Brown, 30), (EyeColor.Hazel, 15), (EyeColor.Green, 12), (EyeColor.Gray, 7), (EyeColor.Amber, 2))
        : new((EyeColor.Brown, 78), (EyeColor.Black, 11), (EyeColor.Hazel, 6), (EyeColor.Amber, 3), (EyeColor.Green, 1.5), (EyeColor.Blue, 0.5));

    private static Distribution<SkinColor> SkinColorFor(Ethnicity ethnicity) => ethnicity switch
    {
        Ethnicity.Caucasian => new((SkinColor.Light, 45), (SkinColor.Fair, 35), (SkinColor.Medium, 12), (SkinColor.Olive, 8)),
        Ethnicity.African or Ethnicity.AfricanAmerican => new((SkinColor.Dark, 50), (SkinColor.Brown, 40), (SkinColor.Tan, 10)),
        Ethnicity.Asian => new((SkinColor.Light, 40), (SkinColor.Medium, 30), (SkinColor.Fair, 20), (SkinColor.Tan, 10)),
        Ethnicity.SouthAsian => new((SkinColor.Tan, 35), (SkinColor.Medium, 30), (SkinColor.Brown, 30), (SkinColor.Olive, 5)),
        Ethnicity.Hispanic => new((SkinColor.Medium, 35), (SkinColor.Olive, 25), (SkinColor.Light, 20), (SkinColor.Tan, 20)),
        Ethnicity.MiddleEastern => new((SkinColor.Olive, 45), (SkinColor.Medium, 30), (SkinColor.Light, 15), (SkinColor.Tan, 10)),
        Ethnicity.PacificIslander or Ethnicity.NativeAmerican => new((SkinColor.Tan, 50), (SkinColor.Brown, 35), (SkinColor.Medium, 15)),
        _ => new((SkinColor.Medium, 35), (SkinColor.Tan, 25), (SkinColor.Light, 15), (SkinColor.Olive, 15), (SkinColor.Brown, 10)),
    };

    private static Distribution<FacialHair> FacialHairFor(Gender gender) => gender switch
    {
        Gender.Male => new((FacialHair.CleanShaven, 40), (FacialHair.Stubble, 25), (FacialHair.BeardShort, 15), (FacialHair.BeardFull, 10),
            (FacialHair.Goatee, 6), (FacialHair.Mustache, 4)),
        Gender.Female => new((FacialHair.CleanShaven, 1)),
        _ => new((FacialHair.CleanShaven, 85), (FacialHair.Stubble, 15)),
    };

    private static Distribution<VoicePitch> PitchFor(Gender gender) => gender switch
    {
        Gender.Male => new((VoicePitch.Low, 40), (VoicePitch.Medium, 35), (VoicePitch.VeryLow, 12), (VoicePitch.High, 10), (VoicePitch.VeryHigh, 3)),
        Gender.Female => new((VoicePitch.Medium, 40), (VoicePitch.High, 35), (VoicePitch.Low, 15), (VoicePitch.VeryHigh, 8), (VoicePitch.VeryLow, 2)),
        _ => new((VoicePitch.Medium, 60), (VoicePitch.High, 20), (VoicePitch.Low, 20)),
    };

    private static Distribution<Accent> AccentFor(Country country) => country switch
    {
        Country.Usa => new((Accent.AmericanGeneral, 80), (Accent.AmericanSouthern, 20)),
        Country.Uk => new((Accent.BritishRegional, 45), (Accent.BritishRp, 40), (Accent.Scottish, 15)),
        Country.Ireland => new((Accent.Irish, 1)),
        Country.Australia => new((Accent.Australian, 1)),
        Country.Canada => new((Accent.Canadian, 85), (Accent.AmericanGeneral, 15)),
        Country.India => new((Accent.Indian, 1)),
        Country.SouthAfrica => new((Accent.SouthAfrican, 1)),
        Country.France => new((Accent.French, 1)),
        Country.Germany => new((Accent.German, 1)),
        Country.Spain => new((Accent.Spanish, 1)),
        Country.Mexico or Country.Argentina or Country.Colombia => new((Accent.LatinAmerican, 1)),
        _ => new((Accent.Neutral, 60), (Accent.Other, 40)),
    };

    private static Distribution<Language> LanguageFor(Country country) => country switch
    {
        Country.Spain or Country.Mexico or Country.Argentina or Country.Colombia => new((Language.Spanish, 92), (Language.English, 8)),
        Country.Brazil => new((Language.Portuguese, 92), (Language.English, 8)),
        Country.France => new((Language.French, 90), (Language.English, 10)),
        Country.Germany => new((Language.German, 88), (Language.English, 12)),
        Country.Italy => new((Language.Italian, 90), (Language.English, 10)),
        Country.Netherlands => new((Language.Dutch, 70), (Language.English, 30)),
        Country.Poland => new((Language.Polish, 85), (Language.English, 15)),
        Country.India => new((Language.English, 55), (Language.Hindi, 45)),
        Country.Japan => new((Language.Japanese, 95), (Language.English, 5)),
        Country.SouthKorea => new((Language.Korean, 95), (Language.English, 5)),
        Country.China => new((Language.Chinese, 95), (Language.English, 5)),
        Country.Uae => new((Language.Arabic, 65), (Language.English, 35)),
        Country.Israel => new((Language.Hebrew, 75), (Language.English, 25)),
        Country.Sweden or Country.Philippines or Country.Other => new((Language.English, 55), (Language.Other, 45)),
        _ => new((Language.English, 1)),
    };

    private static List<DemoTerm> Terms(Random random, Category category)
    {
        // Every demo account can be indexed: the base requirements ask for an approved term.
        var terms = new List<DemoTerm> { new(IpTermType.Likeness, IpTermStatus.Approved) };
        if (random.Chance(0.7))
        {
            terms.Add(new(IpTermType.Image, ImageTermStatuses.Sample(random)));
        }
        if (category == Category.VoiceArtists || random.Chance(0.3))
        {
            terms.Add(new(IpTermType.VoiceOver, VoiceOverStatuses.Sample(random)));
        }
        return terms;
    }

    /// <summary>The primary platform first, with the most followers; the others get a fraction of its audience.</summary>
    private static List<DemoSocialLink> SocialLinks(Random random, Category category, ContentNiche niche)
    {
        var primaryPlatforms = niche switch
        {
            ContentNiche.Gaming => new Distribution<Platform>((Platform.Twitch, 40), (Platform.YouTube, 35), (Platform.TikTok, 15), (Platform.Twitter, 10)),
            ContentNiche.Business => new((Platform.LinkedIn, 40), (Platform.YouTube, 20), (Platform.Twitter, 20), (Platform.Instagram, 20)),
            _ when category == Category.Musicians => new((Platform.YouTube, 30), (Platform.Instagram, 30), (Platform.TikTok, 30), (Platform.Twitter, 10)),
            _ => Platforms,
        };
        var primary = primaryPlatforms.Sample(random);
        var primaryFollowers = (long)Math.Clamp(random.LogNormal(9.6, 1.9), 150, 150_000_000);
        var links = new List<DemoSocialLink> { new(primary, "", primaryFollowers) };
        var wanted = PlatformCounts.Sample(random);
        while (links.Count < wanted)
        {
            var platform = Platforms.Sample(random);
            if (links.Any(l => l.Platform == platform))
            {
                continue;
            }
            var share = Math.Min(0.9, random.LogNormal(-1.6, 1.0));
            links.Add(new(platform, "", random.Chance(0.06) ? null : (long)(primaryFollowers * share)));
        }
        return links;
    }

    private static SearchAttributes ImageTags(Random random, SearchAttributes person) => new()
    {
        // What an image model would read, each photo a little differently: sometimes unsure, sometimes off by one.
        Category = person.Category,
        Country = person.Country,
        TargetAudience = person.TargetAudience,
        ContentNiche = person.ContentNiche,
        IsVerified = person.IsVerified,
        EngagementRate = person.EngagementRate,
        Height = person.Height,
        Weight = person.Weight,
        PrimaryLanguage = person.PrimaryLanguage,
        Gender = Unsure(random, person.Gender, 0.02),
        BirthYear = random.Chance(0.3) ? person.BirthYear + random.Next(-3, 4) : person.BirthYear,
        BodyType = Unsure(random, Nudge(random, person.BodyType, 0.05)),
        HairColor = Unsure(random, person.HairColor),
        HairLength = Unsure(random, Nudge(random, person.HairLength, 0.05)),
        HairType = Unsure(random, person.HairType),
        EyeColor = Unsure(random, person.EyeColor, 0.12),
        SkinColor = Unsure(random, Nudge(random, person.SkinColor, 0.05)),
        Ethnicity = Unsure(random, person.Ethnicity),
        FaceShape = Unsure(random, random.Chance(0.08) ? FaceShapes.Sample(random) : person.FaceShape),
        FacialHair = Unsure(random, person.FacialHair),
        WearGlasses = person.WearGlasses == true ? random.Chance(0.7) : random.Chance(0.03),
        HasTattoos = Unsure(random, person.HasTattoos, 0.15),
        HasPiercings = Unsure(random, person.HasPiercings, 0.15),
    };

    private static SearchAttributes VoiceTags(Random random, SearchAttributes person) => new()
    {
        Gender = Unsure(random, person.Gender, 0.03),
        VoicePitch = Unsure(random, Nudge(random, person.VoicePitch, 0.08)),
        VoiceTone = Unsure(random, person.VoiceTone),
        Accent = Unsure(random, person.Accent, 0.05),
        PrimaryLanguage = person.PrimaryLanguage,
    };

    private static T? Unsure<T>(Random random, T? value, double probability = 0.07) where T : struct =>
        random.Chance(probability) ? null : value;

    /// <summary>The neighbouring value of an ordered enum now and then (medium hair read as long).</summary>
    private static T? Nudge<T>(Random random, T? value, double probability) where T : struct, Enum
    {
        if (value is not { } current || !random.Chance(probability))
        {
            return value;
        }
        var values = Enum.GetValues<T>();
        var index = Array.IndexOf(values, current) + (random.Chance(0.5) ? 1 : -1);
        return values[Math.Clamp(index, 0, values.Length - 1)];
    }

    private static string Describe(Random random, string first, SearchAttributes person, IReadOnlyList<DemoSocialLink> links, bool recordsVoice)
    {
        var text = new StringBuilder();
        var noun = Noun(person.Category!.Value);
        var country = DemoNames.CountryName(person.Country!.Value);
        var niche = NichePhrase(person.ContentNiche!.Value);
        var reach = $"{Compact(links.Sum(l => l.FollowersCount ?? 0))} followers on {links[0].Platform}";
        text.Append(random.Next(4) switch
        {
            0 => $"{first} is {Article(noun)} {noun} from {country} sharing {niche} with {reach}.",
            1 => $"{Capitalize(noun)} based in {country}, known for {niche}; {reach}.",
            2 => $"{first} creates {niche} as {Article(noun)} {noun} in {country}, reaching {reach}.",
            _ => $"From {country}, {first} works as {Article(noun)} {noun} focused on {niche} ({reach}).",
        });
        var hair = person.HairColor == HairColor.Bald
            ? "a shaved head"
            : $"{Words(person.HairLength!.Value)}, {Words(person.HairType!.Value)} {Words(person.HairColor!.Value)} hair";
        text.Append(CultureInfo.InvariantCulture, $" {Capitalize(Words(person.BodyType!.Value))} build, {hair} and {Words(person.EyeColor!.Value)} eyes.");
        if (person.HasTattoos == true)
        {
            text.Append(" Visible tattoos.");
        }
        if (recordsVoice)
        {
            text.Append(CultureInfo.InvariantCulture,
                $" Records voice-overs with a {Words(person.VoiceTone!.Value)}, {Words(person.VoicePitch!.Value)}-pitched voice and {AccentPhrase(person.Accent!.Value)}.");
        }
        text.Append(random.Next(3) switch
        {
            0 => " Open to brand campaigns and licensing.",
            1 => " Available for commercial work worldwide.",
            _ => "",
        });
        return text.ToString();
    }

    private static string Noun(Category category) => category switch
    {
        Category.Models => "model",
        Category.Actors => "actor",
        Category.Musicians => "musician",
        Category.Athletes => "athlete",
        Category.Influencers => "influencer",
        Category.Creators => "content creator",
        Category.VoiceArtists => "voice artist",
        Category.Dancers => "dancer",
        Category.Comedians => "comedian",
        Category.Presenters => "presenter",
        _ => "creative",
    };

    private static string AccentPhrase(Accent accent) => accent switch
    {
        Accent.AmericanGeneral => "a General American accent",
        Accent.AmericanSouthern => "a Southern American accent",
        Accent.BritishRp => "a British RP accent",
        Accent.BritishRegional => "a regional British accent",
        Accent.SouthAfrican => "a South African accent",
        Accent.LatinAmerican => "a Latin American accent",
        Accent.Neutral => "a neutral accent",
        Accent.Other => "a distinctive accent",
        _ => $"{Article(accent.ToString().ToLowerInvariant())} {accent} accent",
    };

    private static string NichePhrase(ContentNiche niche) => niche switch
    {
        ContentNiche.Fashion => "fashion and style content",
        ContentNiche.Fitness => "fitness and wellness content",
        ContentNiche.Beauty => "beauty and skincare tutorials",
        ContentNiche.Lifestyle => "everyday lifestyle content",
        ContentNiche.Travel => "travel stories",
        ContentNiche.Food => "food and cooking videos",
        ContentNiche.Gaming => "gaming streams",
        ContentNiche.Tech => "tech reviews",
        ContentNiche.Music => "music",
        ContentNiche.Comedy => "comedy sketches",
        ContentNiche.Education => "educational explainers",
        ContentNiche.Sports => "sports content",
        ContentNiche.Parenting => "family and parenting content",
        ContentNiche.Business => "business and career advice",
        ContentNiche.Art => "art and design",
        _ => "creative projects",
    };

    /// <summary>An enum's database label as lower-case words: <c>BRITISH_RP</c> becomes "british rp".</summary>
    private static string Words<T>(T value) where T : struct, Enum =>
        DbEnum<T>.ToLabel(value).Replace('_', ' ').ToLowerInvariant();

    private static string Article(string word) => "aeiou".Contains(word[0], StringComparison.Ordinal) ? "an" : "a";

    private static string Capitalize(string text) => string.Concat(text[..1].ToUpperInvariant(), text.AsSpan(1));

    private static string Compact(long count) => count switch
    {
        >= 1_000_000 => (count / 1_000_000.0).ToString("0.#", CultureInfo.InvariantCulture) + "M",
        >= 1_000 => (count / 1_000.0).ToString("0.#", CultureInfo.InvariantCulture) + "K",
        _ => count.ToString(CultureInfo.InvariantCulture),
    };

    private static string Slug(string name) => name.ToLowerInvariant().Replace(' ', '-');

    private static string Suffix(Random random)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        return string.Create(4, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[r.Next(alphabet.Length)];
            }
        });
    }

    private static string Handle(Random random, string first, string last)
    {
        var name = (first + last).ToLowerInvariant().Replace(" ", "", StringComparison.Ordinal);
        return random.Next(4) switch
        {
            0 => name,
            1 => $"{first.ToLowerInvariant()}.{last.ToLowerInvariant().Replace(" ", "", StringComparison.Ordinal)}",
            2 => $"{name}{random.Next(10, 100)}",
            _ => $"the{name}",
        };
    }

    private static string ProfileUrl(Platform platform, string handle) => platform switch
    {
        Platform.Instagram => $"https://www.instagram.com/{handle}",
        Platform.TikTok => $"https://www.tiktok.com/@{handle}",
        Platform.Twitter => $"https://x.com/{handle.Replace('.', '_')}",
        Platform.YouTube => $"https://www.youtube.com/@{handle}",
        Platform.LinkedIn => $"https://www.linkedin.com/in/{handle.Replace('.', '-')}",
        Platform.Facebook => $"https://www.facebook.com/{handle}",
        Platform.Twitch => $"https://www.twitch.tv/{handle.Replace('.', '_')}",
        Platform.Snapchat => $"https://www.snapchat.com/add/{handle}",
        _ => $"https://onlyfans.com/{handle.Replace('.', '_')}",
    };
}
