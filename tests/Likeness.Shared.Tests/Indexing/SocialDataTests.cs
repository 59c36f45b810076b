using System.Text.Json;
using Likeness.Shared.Data;
using Likeness.Shared.Indexing;

namespace Likeness.Shared.Tests.Indexing;

[TestClass]
public sealed class SocialDataTests
{
    private static readonly DateTimeOffset LinkUpdated = new(2026, 1, 10, 0, 0, 0, TimeSpan.Zero);

    [TestMethod]
    public void ANewerScrapeWinsOverTheLinksFollowerCountAndAnOlderOneDoesNot()
    {
        var instagram = Link(Platform.Instagram, "https://instagram.com/a", 1_000);
        var tiktok = Link(Platform.TikTok, "https://tiktok.com/@a", 2_000);

        var social = SocialData.Aggregate(
            [instagram, tiktok],
            [Scrape(instagram, 5_000, LinkUpdated.AddDays(1)), Scrape(tiktok, 9_000, LinkUpdated.AddDays(-1))]);

        Assert.AreEqual((7_000L, Platform.Instagram), (social.NumberOfFollowers, social.PrimaryPlatform));
    }

    [TestMethod]
    public void VerifiedWhenAnyProfileIsAndEngagementIsTheFollowerWeightedMeanOfTheProfilesReportingIt()
    {
        var a = Link(Platform.Instagram, "https://instagram.com/a", 3_000);
        var b = Link(Platform.TikTok, "https://tiktok.com/@a", 1_000);
        var c = Link(Platform.YouTube, "https://youtube.com/@a", 50_000);

        var social = SocialData.Aggregate(
            [a, b, c],
            [
                Scrape(a, null, LinkUpdated.AddDays(1), """{"isVerified":false,"engagementRate":2.0}"""),
                Scrape(b, null, LinkUpdated.AddDays(1), """{"isVerified":true,"engagementRate":6.0}"""),
                Scrape(c, null, LinkUpdated.AddDays(1), """{"engagementRate":"high"}"""),
            ]);

        Assert.IsTrue(social.IsVerified);
        Assert.AreEqual(3.0, social.EngagementRate!.Value, 1e-9, "(2 x 3000 + 6 x 1000) / 4000");
    }

    [TestMethod]
    public void ProfilesThatSayNothingLeaveVerificationAndEngagementUnknown()
    {
        var a = Link(Platform.Instagram, "https://instagram.com/a", 10);
        var b = Link(Platform.TikTok, "https://tiktok.com/@a", 10);

        var social = SocialData.Aggregate([a, b], [Scrape(a, null, LinkUpdated, """{"name":"x"}""")]);

        Assert.IsNull(social.IsVerified);
        Assert.IsNull(social.EngagementRate);
        Assert.IsFalse(SocialData.Aggregate([a], [Scrape(a, null, LinkUpdated, """{"isVerified":false}""")]).IsVerified);
    }

    [TestMethod]
    public void WithoutFollowerCountsEveryReportedRateWeighsTheSame()
    {
        var a = Link(Platform.Instagram, "https://instagram.com/a", null);
        var b = Link(Platform.TikTok, "https://tiktok.com/@a", null);

        var social = SocialData.Aggregate([a, b],
            [Scrape(a, null, LinkUpdated, """{"engagementRate":1}"""), Scrape(b, null, LinkUpdated, """{"engagementRate":4}""")]);

        Assert.AreEqual(2.5, social.EngagementRate!.Value, 1e-9);
    }

    [TestMethod]
    public void ScrapesOfLinksTheAccountNoLongerHasAreIgnoredAndNoLinksMeansNothing()
    {
        var a = Link(Platform.Instagram, "https://instagram.com/a", 100);
        var gone = Link(Platform.TikTok, "https://tiktok.com/@gone", 100);

        var social = SocialData.Aggregate([a], [Scrape(gone, 1_000_000, LinkUpdated.AddDays(1), """{"isVerified":true}""")]);

        Assert.AreEqual((100L, (bool?)null), (social.NumberOfFollowers, social.IsVerified));
        Assert.AreEqual(new SearchAttributes(), SocialData.Aggregate([], []));
    }

    private static AccountSocialLink Link(Platform platform, string url, long? followers) =>
        new("link-" + platform, "account-1", platform, url, followers, LinkUpdated, LinkUpdated);

    private static Scrape Scrape(AccountSocialLink link, long? followers, DateTimeOffset updated, string? raw = null) =>
        new("scrape-" + link.Platform, link.AccountId, ScrapesAccess.ComputeLinkhash(link.Url), link.Url, null, null, followers, null,
            raw is null ? null : JsonElement.Parse(raw), 0, null, updated, updated);
}
