using Likeness.Shared.Data;
using Likeness.Testing;
using Npgsql;

namespace Likeness.Shared.Tests.Data;

[TestClass]
public sealed class AccountSocialLinksAccessTests
{
    private static TestDatabase db = null!;
    private static AccountSocialLinksAccess links = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext _)
    {
        db = await TestDatabase.CreateAsync();
        links = new AccountSocialLinksAccess(db.DataSource);
    }

    [ClassCleanup]
    public static async Task CleanupAsync() => await db.DisposeAsync();

    [TestMethod]
    public async Task UpsertingANewPlatformCreatesTheLink()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);

        var created = await links.UpsertSocialLinkAsync(
            new NewAccountSocialLink(account.Id, Platform.Instagram, "https://instagram.com/ada", 1200));

        Assert.AreEqual(created, await links.GetSocialLinkByAccountAndPlatformAsync(account.Id, Platform.Instagram));
        Assert.AreEqual(NanoId.Length, created.Id.Length);
        Assert.AreEqual(account.Id, created.AccountId);
        Assert.AreEqual(Platform.Instagram, created.Platform);
        Assert.AreEqual("https://instagram.com/ada", created.Url);
        Assert.AreEqual(1200L, created.FollowersCount);
    }

    [TestMethod]
    public async Task EveryPlatformIsStoredUnderTheSocialLinksPlatformLabel()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        string[] databaseLabels = ["INSTAGRAM", "TIKTOK", "TWITTER", "YOUTUBE", "LINKEDIN", "FACEBOOK", "TWITCH", "SNAPCHAT", "ONLYFANS"];

        foreach (var platform in Enum.GetValues<Platform>())
        {
            var created = await links.UpsertSocialLinkAsync(new NewAccountSocialLink(account.Id, platform, $"https://example.com/{platform}"));

            Assert.AreEqual(platform, created.Platform);
            Assert.AreEqual(platform, (await links.GetSocialLinkByAccountAndPlatformAsync(account.Id, platform))!.Platform);
        }

        var stored = await links.GetSocialLinksByAccountIdAsync(account.Id);
        CollectionAssert.AreEqual(Enum.GetValues<Platform>(), stored.Select(l => l.Platform).ToArray());
        CollectionAssert.AreEqual(databaseLabels, stored.Select(l => DbEnum<Platform>.ToLabel(l.Platform)).ToArray());
    }

    [TestMethod]
    public async Task UpsertingAnExistingPlatformUpdatesTheUrlAndFollowerCountInPlace()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var created = await links.UpsertSocialLinkAsync(new NewAccountSocialLink(account.Id, Platform.TikTok, "https://tiktok.com/@old", 10));

        var updated = await links.UpsertSocialLinkAsync(new NewAccountSocialLink(account.Id, Platform.TikTok, "https://tiktok.com/@new", 25));

        Assert.AreEqual(created.Id, updated.Id);
        Assert.AreEqual(created.CreatedAt, updated.CreatedAt);
        Assert.IsGreaterThan(created.UpdatedAt, updated.UpdatedAt);
        Assert.AreEqual("https://tiktok.com/@new", updated.Url);
        Assert.AreEqual(25L, updated.FollowersCount);
        CollectionAssert.AreEqual(new[] { updated }, (await links.GetSocialLinksByAccountIdAsync(account.Id)).ToArray());
    }

    [TestMethod]
    public async Task TheSamePlatformOnTwoAccountsIsTwoLinks()
    {
        var first = await TestData.CreateAccountAsync(db.DataSource);
        var second = await TestData.CreateAccountAsync(db.DataSource);

        var a = await links.UpsertSocialLinkAsync(new NewAccountSocialLink(first.Id, Platform.YouTube, "https://youtube.com/a", 1));
        var b = await links.UpsertSocialLinkAsync(new NewAccountSocialLink(second.Id, Platform.YouTube, "https://youtube.com/b", 2));

        Assert.AreNotEqual(a.Id, b.Id);
        CollectionAssert.AreEqual(new[] { a }, (await links.GetSocialLinksByAccountIdAsync(first.Id)).ToArray());
        CollectionAssert.AreEqual(new[] { b }, (await links.GetSocialLinksByAccountIdAsync(second.Id)).ToArray());
    }

    [TestMethod]
    public async Task MissingLinksReadAsNullOrEmpty()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        await links.UpsertSocialLinkAsync(new NewAccountSocialLink(account.Id, Platform.Twitter, "https://x.com/ada"));

        Assert.IsNull(await links.GetSocialLinkByAccountAndPlatformAsync(account.Id, Platform.Twitch));
        Assert.IsNull(await links.GetSocialLinkByAccountAndPlatformAsync("no-such-account", Platform.Twitter));
        Assert.IsEmpty(await links.GetSocialLinksByAccountIdAsync("no-such-account"));
    }

    [TestMethod]
    public async Task UpsertingALinkForAMissingAccountIsRejectedByTheForeignKey()
    {
        var error = await Assert.ThrowsExactlyAsync<PostgresException>(
            () => links.UpsertSocialLinkAsync(new NewAccountSocialLink("no-such-account", Platform.Instagram, "https://instagram.com/x")));

        Assert.AreEqual(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
    }

    [TestMethod]
    public async Task DeletingALinkReportsWhetherItExisted()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var kept = await links.UpsertSocialLinkAsync(new NewAccountSocialLink(account.Id, Platform.Facebook, "https://facebook.com/ada"));
        var deleted = await links.UpsertSocialLinkAsync(new NewAccountSocialLink(account.Id, Platform.LinkedIn, "https://linkedin.com/in/ada"));

        Assert.IsTrue(await links.DeleteSocialLinkAsync(deleted.Id));
        Assert.IsFalse(await links.DeleteSocialLinkAsync(deleted.Id));
        CollectionAssert.AreEqual(new[] { kept }, (await links.GetSocialLinksByAccountIdAsync(account.Id)).ToArray());
    }

    [TestMethod]
    public async Task TotalFollowersSumsTheKnownCountsOfTheAccount()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var other = await TestData.CreateAccountAsync(db.DataSource);
        await links.UpsertSocialLinkAsync(new NewAccountSocialLink(account.Id, Platform.Instagram, "https://instagram.com/ada", 3_000_000_000));
        await links.UpsertSocialLinkAsync(new NewAccountSocialLink(account.Id, Platform.TikTok, "https://tiktok.com/@ada", 500));
        await links.UpsertSocialLinkAsync(new NewAccountSocialLink(account.Id, Platform.Snapchat, "https://snapchat.com/add/ada"));
        await links.UpsertSocialLinkAsync(new NewAccountSocialLink(other.Id, Platform.Instagram, "https://instagram.com/other", 7));

        Assert.AreEqual(3_000_000_500L, await links.GetTotalFollowersCountAsync(account.Id));
    }

    [TestMethod]
    public async Task TotalFollowersIsZeroWithoutLinksOrCounts()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);

        Assert.AreEqual(0L, await links.GetTotalFollowersCountAsync(account.Id));
        Assert.AreEqual(0L, await links.GetTotalFollowersCountAsync("no-such-account"));

        await links.UpsertSocialLinkAsync(new NewAccountSocialLink(account.Id, Platform.OnlyFans, "https://onlyfans.com/ada"));

        Assert.AreEqual(0L, await links.GetTotalFollowersCountAsync(account.Id));
    }

    [TestMethod]
    public async Task DeletingTheAccountDeletesItsLinks()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        await links.UpsertSocialLinkAsync(new NewAccountSocialLink(account.Id, Platform.Instagram, "https://instagram.com/ada", 5));

        await new AccountsAccess(db.DataSource).DeleteAccountAsync(account.Id);

        Assert.IsEmpty(await links.GetSocialLinksByAccountIdAsync(account.Id));
        Assert.AreEqual(0L, await db.ScalarAsync("SELECT count(*) FROM account_social_links WHERE account_id = $1", account.Id));
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("   ")]
    public async Task BlankIdsAndUrlsAreRejectedNamingTheArgument(string? id)
    {
        Assert.AreEqual("accountId", (await Assert.ThrowsAsync<ArgumentException>(() => links.GetSocialLinksByAccountIdAsync(id!))).ParamName);
        Assert.AreEqual("accountId", (await Assert.ThrowsAsync<ArgumentException>(
            () => links.GetSocialLinkByAccountAndPlatformAsync(id!, Platform.Instagram))).ParamName);
        Assert.AreEqual("AccountId", (await Assert.ThrowsAsync<ArgumentException>(
            () => links.UpsertSocialLinkAsync(new NewAccountSocialLink(id!, Platform.Instagram, "https://instagram.com/x")))).ParamName);
        Assert.AreEqual("Url", (await Assert.ThrowsAsync<ArgumentException>(
            () => links.UpsertSocialLinkAsync(new NewAccountSocialLink("some-account", Platform.Instagram, id!)))).ParamName);
        Assert.AreEqual("id", (await Assert.ThrowsAsync<ArgumentException>(() => links.DeleteSocialLinkAsync(id!))).ParamName);
        Assert.AreEqual("accountId", (await Assert.ThrowsAsync<ArgumentException>(() => links.GetTotalFollowersCountAsync(id!))).ParamName);
    }

    [TestMethod]
    public async Task UndefinedPlatformNegativeFollowersAndMissingDataAreRejectedNamingTheArgument()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);

        Assert.AreEqual("platform", (await Assert.ThrowsAsync<ArgumentException>(
            () => links.GetSocialLinkByAccountAndPlatformAsync(account.Id, (Platform)99))).ParamName);
        Assert.AreEqual("Platform", (await Assert.ThrowsAsync<ArgumentException>(
            () => links.UpsertSocialLinkAsync(new NewAccountSocialLink(account.Id, (Platform)99, "https://example.com")))).ParamName);
        Assert.AreEqual("FollowersCount", (await Assert.ThrowsExactlyAsync<ArgumentOutOfRangeException>(
            () => links.UpsertSocialLinkAsync(new NewAccountSocialLink(account.Id, Platform.Instagram, "https://instagram.com/x", -1)))).ParamName);
        Assert.AreEqual("data", (await Assert.ThrowsAsync<ArgumentException>(() => links.UpsertSocialLinkAsync(null!))).ParamName);
        Assert.IsEmpty(await links.GetSocialLinksByAccountIdAsync(account.Id));
    }
}
