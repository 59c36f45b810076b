using Likeness.Shared.Data;
using Likeness.Shared.Indexing;

namespace Likeness.Shared.Tests.Indexing;

[TestClass]
public sealed class TagAggregatorTests
{
    [TestMethod]
    public void TheMostFrequentValueOfEachAttributeWins()
    {
        var merged = TagAggregator.Aggregate(
        [
            new SearchAttributes { HairColor = HairColor.Brown, EyeColor = EyeColor.Blue },
            new SearchAttributes { HairColor = HairColor.Blonde },
            new SearchAttributes { HairColor = HairColor.Blonde, HasTattoos = true },
        ]);

        Assert.AreEqual(new SearchAttributes { HairColor = HairColor.Blonde, EyeColor = EyeColor.Blue, HasTattoos = true }, merged);
    }

    [TestMethod]
    public void TiesGoToTheSmallestValueWhateverTheOrder()
    {
        SearchAttributes a = new() { HairColor = HairColor.Red, BirthYear = 1990, WearGlasses = true };
        SearchAttributes b = new() { HairColor = HairColor.Black, BirthYear = 1985, WearGlasses = false };

        var forward = TagAggregator.Aggregate([a, b]);
        var backward = TagAggregator.Aggregate([b, a]);

        Assert.AreEqual(new SearchAttributes { HairColor = HairColor.Black, BirthYear = 1985, WearGlasses = false }, forward);
        Assert.AreEqual(forward, backward);
    }

    [TestMethod]
    public void NoSourcesGiveNoAttributes()
    {
        Assert.AreEqual(new SearchAttributes(), TagAggregator.Aggregate([]));
    }
}
