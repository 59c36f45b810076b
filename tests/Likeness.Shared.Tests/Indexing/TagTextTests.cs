using Likeness.Shared.Data;
using Likeness.Shared.Indexing;

namespace Likeness.Shared.Tests.Indexing;

[TestClass]
public sealed class TagTextTests
{
    [TestMethod]
    public void AttributesBecomeLowerCaseClausesInAFixedOrder()
    {
        var text = TagText.Normalize(new SearchAttributes
        {
            HairColor = HairColor.Blonde,
            Category = Category.Models,
            Accent = Accent.BritishRp,
            HasTattoos = false,
            NumberOfFollowers = 250_000,
            BirthYear = 1994,
            EngagementRate = 3.25,
        });

        Assert.AreEqual(
            "category: models; number of followers: 100k to 1m; engagement rate: 3.3; birth year: 1990s; hair color: blonde; has tattoos: no; accent: british rp",
            text);
    }

    [TestMethod]
    public void EqualAttributesAlwaysGiveEqualText()
    {
        var first = new SearchAttributes { Gender = Gender.NonBinary, Height = 170 };
        var second = new SearchAttributes { Height = 170, Gender = Gender.NonBinary };

        Assert.AreEqual(TagText.Normalize(first), TagText.Normalize(second));
        Assert.AreEqual("gender: non binary; height: 170", TagText.Normalize(first));
    }

    [TestMethod]
    public void NoAttributesGiveEmptyText()
    {
        Assert.AreEqual("", TagText.Normalize(new SearchAttributes()));
    }
}
