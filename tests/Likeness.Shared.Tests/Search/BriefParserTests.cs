using System.Text.Json;
using Likeness.Shared.Data;
using Likeness.Shared.Search;
using Likeness.Shared.Search.Briefs;

namespace Likeness.Shared.Tests.Search;

[TestClass]
public sealed class BriefParserTests
{
    private static readonly DateOnly Today = new(2026, 6, 1);

    /// <summary>Regression cases from the brief benchmark (tests/Likeness.Benchmarks/briefs.json) and the issue.</summary>
    [TestMethod]
    [DataRow("curly red hair fitness creator", """{"category":["CREATORS"],"contentNiche":["FITNESS"],"hairColor":["RED"],"hairType":["CURLY"]}""", null)]
    [DataRow("blonde woman in her twenties with blue eyes, athletic, UK based, over 50k followers",
        """{"gender":["FEMALE"],"country":["UK"],"minFollowers":50000,"minBirthYear":1996,"maxBirthYear":2006,"bodyType":["ATHLETIC"],"hairColor":["BLONDE"],"eyeColor":["BLUE"]}""", null)]
    [DataRow("deep male voice with a British accent", """{"gender":["MALE"],"voicePitch":["LOW","VERY_LOW"],"accent":["BRITISH_RP","BRITISH_REGIONAL"]}""", "voice")]
    [DataRow("tattooed guy with a beard, at least 1.75 m", """{"gender":["MALE"],"minHeight":175,"facialHair":["BEARD_SHORT","BEARD_FULL"],"hasTattoos":true}""", null)]
    [DataRow("redhead actress under 60 kg without glasses", """{"category":["ACTORS"],"gender":["FEMALE"],"maxWeight":60,"hairColor":["RED"],"wearGlasses":false}""", null)]
    [DataRow("Spanish speaking presenter, 1m+ followers, warm voice", """{"category":["PRESENTERS"],"minFollowers":1000000,"voiceTone":["WARM"],"primaryLanguage":["SPANISH"]}""", null)]
    [DataRow("man with brown eyes and black hair, 5'9\"", """{"gender":["MALE"],"minHeight":173,"maxHeight":177,"hairColor":["BLACK"],"eyeColor":["BROWN"]}""", null)]
    [DataRow("no tattoos or piercings, skateboarding vibe", """{"hasTattoos":false,"hasPiercings":false}""", "skateboarding vibe")]
    public void BriefsAreReadIntoTheFiltersTheyNameAndTheWordsLeftOver(string brief, string filters, string? remaining)
    {
        var read = BriefParser.Parse(brief, Today);

        Assert.AreEqual(filters, Json(read));
        Assert.AreEqual(remaining, read.RemainingText);
        Assert.AreEqual(BriefParsers.Local, read.Parser);
    }

    [TestMethod]
    public void EveryValueOfEveryAttributeIsReadFromItsLabelBesideTheAttributesName()
    {
        foreach (var attribute in SearchAttributeCatalog.Discrete.Where(a => a is not FlagAttribute))
        {
            for (var ordinal = 0; ordinal < attribute.Labels.Count; ordinal++)
            {
                var words = $"{attribute.Labels[ordinal].ToLowerInvariant().Replace('_', ' ')} {attribute.Words}";

                var read = BriefParser.Parse(words, Today);

                CollectionAssert.AreEqual(new[] { ordinal }, attribute.FilteredOrdinals(read.Filters)?.ToArray(), words);
                Assert.IsNull(read.RemainingText, words);
            }
        }
    }

    [TestMethod]
    public void EveryFlagIsReadFromItsNameAndNegatedByNoOrWithout()
    {
        foreach (var flag in SearchAttributeCatalog.Discrete.OfType<FlagAttribute>())
        {
            var noun = flag.Words.Split(' ')[^1];

            Assert.IsTrue(flag.Filter(BriefParser.Parse($"with {noun}", Today).Filters), noun);
            Assert.IsFalse(flag.Filter(BriefParser.Parse($"no {noun}", Today).Filters), noun);
            Assert.IsFalse(flag.Filter(BriefParser.Parse($"without any {noun}", Today).Filters), noun);
        }
    }

    [TestMethod]
    [DataRow("not blonde", "hairColor", "BLACK,BROWN,RED,AUBURN,GRAY,WHITE,COLORED,BALD")]
    [DataRow("blonde or red hair", "hairColor", "BLONDE,RED")]
    [DataRow("brown eyes", "eyeColor", "BROWN")]
    [DataRow("hair: brown", "hairColor", "BROWN")]
    [DataRow("brown and curly hair", "hairColor", "BROWN")]
    [DataRow("British", "country", "UK")]
    [DataRow("English speaker", "primaryLanguage", "ENGLISH")]
    [DataRow("irish accent", "accent", "IRISH")]
    [DataRow("fitness audience", "targetAudience", "FITNESS")]
    [DataRow("non-binary model", "gender", "NON_BINARY")]
    [DataRow("clean-shaven", "facialHair", "CLEAN_SHAVEN")]
    [DataRow("no beard", "facialHair", "CLEAN_SHAVEN,STUBBLE,MUSTACHE,GOATEE")]
    public void AmbiguousAndNegatedWordsFollowTheDocumentedRules(string brief, string attribute, string labels)
    {
        var discrete = (DiscreteAttribute)SearchAttributeCatalog.Get(attribute);

        var read = BriefParser.Parse(brief, Today);

        CollectionAssert.AreEqual(labels.Split(','), discrete.FilteredOrdinals(read.Filters)?.Select(o => discrete.Labels[o]).ToArray(), brief);
    }

    [TestMethod]
    public void AWordSeveralAttributesShareWithNothingBesideItIsLeftForTheSemanticPart()
    {
        var read = BriefParser.Parse("brown, medium", Today);

        Assert.IsTrue(SearchAttributeCatalog.IsUnfiltered(read.Filters));
        Assert.AreEqual("brown medium", read.RemainingText);
    }

    [TestMethod]
    [DataRow("at least 1.75 m", 175, null)]
    [DataRow("over 180cm", 180, null)]
    [DataRow("under 5'5\"", null, 165)]
    [DataRow("6 ft or taller", 183, null)]
    [DataRow("between 165 and 175 cm", 165, 175)]
    [DataRow("170-180 cm tall", 170, 180)]
    [DataRow("175 cm", 173, 177)]
    public void HeightsBecomeRangesInCentimetres(string brief, int? min, int? max) =>
        Assert.AreEqual(((double?)min, (double?)max), SearchAttributeCatalog.Ranges.Single(r => r.Name == "height").FilteredRange(BriefParser.Parse(brief, Today).Filters));

    [TestMethod]
    [DataRow("over 50k followers", 50_000L, null)]
    [DataRow("1m+ followers", 1_000_000L, null)]
    [DataRow("with 250,000 followers", 250_000L, null)]
    [DataRow("under 10k followers", null, 10_000L)]
    [DataRow("between 10k and 100k followers", 10_000L, 100_000L)]
    [DataRow("2.5 million subscribers or more", 2_500_000L, null)]
    public void FollowerCountsBecomeRanges(string brief, long? min, long? max)
    {
        var filters = BriefParser.Parse(brief, Today).Filters;

        Assert.AreEqual((min, max), (filters.MinFollowers, filters.MaxFollowers));
        Assert.IsNull(BriefParser.Parse(brief, Today).RemainingText);
    }

    [TestMethod]
    [DataRow("in her twenties", 1996, 2006)]
    [DataRow("late 30s", 1986, 1989)]
    [DataRow("aged 25-35", 1990, 2001)]
    [DataRow("30 years old", 1995, 1996)]
    [DataRow("over 50", null, 1976)]
    [DataRow("under 30", 1995, null)]
    [DataRow("born in the 90s", 1990, 1999)]
    [DataRow("born after 2000", 2000, null)]
    public void AgesBecomeBirthYearsCountedFromToday(string brief, int? min, int? max)
    {
        var filters = BriefParser.Parse(brief, Today).Filters;

        Assert.AreEqual((min, max), (filters.MinBirthYear, filters.MaxBirthYear));
    }

    [TestMethod]
    public void TheSameAgeIsOtherBirthYearsOnAnotherDay()
    {
        var now = BriefParser.Parse("in his thirties", new DateOnly(2026, 6, 1)).Filters;
        var later = BriefParser.Parse("in his thirties", new DateOnly(2030, 1, 2)).Filters;

        Assert.AreEqual((1986, 1996), (now.MinBirthYear, now.MaxBirthYear));
        Assert.AreEqual((1990, 2000), (later.MinBirthYear, later.MaxBirthYear));
    }

    [TestMethod]
    [DataRow("under 60 kg", null, 60)]
    [DataRow("at most 130 lbs", null, 59)]
    public void WeightsAreReadInKilograms(string brief, int? min, int? max)
    {
        var filters = BriefParser.Parse(brief, Today).Filters;

        Assert.AreEqual((min, max), (filters.MinWeight, filters.MaxWeight));
    }

    [TestMethod]
    public void EngagementRatesAreReadAsPercentages() =>
        Assert.AreEqual(5.0, BriefParser.Parse("engagement over 5%", Today).Filters.MinEngagementRate);

    [TestMethod]
    public void ExplicitFiltersWinPerAttributeAndTheTextBecomesTheWordsLeftOver()
    {
        var read = BriefParser.Parse("blonde woman with tattoos, skater style", Today);
        var query = new SearchQuery { Filters = new SearchFilters { HairColors = [HairColor.Red], MinHeight = 170 }, Text = "blonde woman with tattoos, skater style" };

        var applied = read.ApplyTo(query);

        CollectionAssert.AreEqual(new[] { HairColor.Red }, applied.Filters.HairColors!.ToArray());
        CollectionAssert.AreEqual(new[] { Gender.Female }, applied.Filters.Genders!.ToArray());
        Assert.IsTrue(applied.Filters.HasTattoos);
        Assert.AreEqual(170, applied.Filters.MinHeight);
        Assert.AreEqual("skater style", applied.Text);
    }

    [TestMethod]
    public void TextThatNamesNoAttributeIsLeftAsItIs()
    {
        var read = BriefParser.Parse("skateboarding vibe, quirky", Today);

        Assert.IsTrue(SearchAttributeCatalog.IsUnfiltered(read.Filters));
        Assert.AreEqual("skateboarding vibe quirky", read.RemainingText);
    }

    private static string Json(BriefInterpretation read) =>
        JsonSerializer.Serialize(BriefInterpretation.DescribeFilters(read.Filters), LikenessJson.Options);
}
