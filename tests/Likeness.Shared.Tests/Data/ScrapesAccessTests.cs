using System.Text.Json;
using Likeness.Shared.Data;
using Likeness.Testing;
using Npgsql;

namespace Likeness.Shared.Tests.Data;

[TestClass]
public sealed class ScrapesAccessTests
{
    private static TestDatabase db = null!;
    private static ScrapesAccess scrapes = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext _)
    {
        db = await TestDatabase.CreateAsync();
        scrapes = new ScrapesAccess(db.DataSource);
    }

    [ClassCleanup]
    public static async Task CleanupAsync() => await db.DisposeAsync();

    [TestMethod]
    public void LinkhashIsTheLowercaseHexSha256OfTheTrimmedLink()
    {
        // The SHA-256 test vector for "abc" (FIPS 180-2).
        const string abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

        Assert.AreEqual(abc, ScrapesAccess.ComputeLinkhash("abc"));
        Assert.AreEqual(abc, ScrapesAccess.ComputeLinkhash("  abc\n"));
        Assert.AreNotEqual(abc, ScrapesAccess.ComputeLinkhash("ABC"));
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("   ")]
    public void LinkhashOfABlankLinkIsRejectedNamingTheArgument(string? link)
    {
        var error = Assert.Throws<ArgumentException>(() => ScrapesAccess.ComputeLinkhash(link!));

        Assert.AreEqual("link", error.ParamName);
    }

    [TestMethod]
    public async Task UpsertedScrapeIsReadBackWithItsLinkhashAndRawData()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        using var raw = JsonDocument.Parse("""{"user":{"followers":1200,"verified":true},"posts":[1,2]}""");

        var created = await scrapes.UpsertScrapeAsync(new NewScrape(
            account.Id, " https://instagram.com/ada ", "ada", "avatar.jpg", 1200, null, raw.RootElement));

        var read = (await scrapes.GetScrapesByAccountIdAsync(account.Id)).Single();
        Assert.AreEqual(created with { RawData = null }, read with { RawData = null });
        Assert.AreEqual(NanoId.Length, created.Id.Length);
        Assert.AreEqual("https://instagram.com/ada", read.Link);
        Assert.AreEqual(ScrapesAccess.ComputeLinkhash("https://instagram.com/ada"), read.Linkhash);
        Assert.AreEqual(("ada", "avatar.jpg", (long?)1200, (string?)null), (read.Name, read.Avatar, read.Followers, read.Error));
        Assert.IsTrue(JsonElement.DeepEquals(raw.RootElement, read.RawData!.Value));
        Assert.AreEqual(0, read.AttemptCount);
        Assert.IsNull(read.LastAttemptAt);
        Assert.AreEqual("1200", await db.ScalarAsync("SELECT raw_data #>> '{user,followers}' FROM scrapes WHERE id = $1", created.Id));
    }

    [TestMethod]
    public async Task ScrapeWithoutRawDataStoresSqlNull()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);

        var created = await scrapes.UpsertScrapeAsync(new NewScrape(account.Id, "https://tiktok.com/@ada", Error: "rate limited"));

        Assert.IsNull(created.RawData);
        Assert.AreEqual("rate limited", created.Error);
        Assert.AreEqual(true, await db.ScalarAsync("SELECT raw_data IS NULL FROM scrapes WHERE id = $1", created.Id));
    }

    [TestMethod]
    public async Task UpsertingTheSameLinkReplacesTheResultAndKeepsTheAttemptCount()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var created = await scrapes.UpsertScrapeAsync(new NewScrape(account.Id, "https://youtube.com/@ada", Error: "timeout"));
        await scrapes.IncrementScrapeAttemptCountAsync(account.Id, created.Linkhash);
        using var raw = JsonDocument.Parse("""{"subscribers":42}""");

        var updated = await scrapes.UpsertScrapeAsync(
            new NewScrape(account.Id, "https://youtube.com/@ada\t", "Ada", "ada.png", 42, null, raw.RootElement));

        Assert.AreEqual(created.Id, updated.Id);
        Assert.AreEqual(created.CreatedAt, updated.CreatedAt);
        Assert.IsGreaterThan(created.UpdatedAt, updated.UpdatedAt);
        Assert.AreEqual(("Ada", "ada.png", (long?)42, (string?)null), (updated.Name, updated.Avatar, updated.Followers, updated.Error));
        Assert.IsTrue(JsonElement.DeepEquals(raw.RootElement, updated.RawData!.Value));
        Assert.AreEqual(1, updated.AttemptCount);
        Assert.HasCount(1, await scrapes.GetScrapesByAccountIdAsync(account.Id));
    }

    [TestMethod]
    public async Task TheSameLinkOnTwoAccountsIsTwoScrapes()
    {
        var first = await TestData.CreateAccountAsync(db.DataSource);
        var second = await TestData.CreateAccountAsync(db.DataSource);

        var a = await scrapes.UpsertScrapeAsync(new NewScrape(first.Id, "https://twitch.tv/shared", Followers: 1));
        var b = await scrapes.UpsertScrapeAsync(new NewScrape(second.Id, "https://twitch.tv/shared", Followers: 2));

        Assert.AreNotEqual(a.Id, b.Id);
        Assert.AreEqual(a.Linkhash, b.Linkhash);
        Assert.AreEqual(1L, (await scrapes.GetScrapesByAccountIdAsync(first.Id)).Single().Followers);
        Assert.AreEqual(2L, (await scrapes.GetScrapesByAccountIdAsync(second.Id)).Single().Followers);
    }

    [TestMethod]
    public async Task ScrapesAreListedOldestFirst()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var first = await scrapes.UpsertScrapeAsync(new NewScrape(account.Id, "https://instagram.com/ada"));
        var second = await scrapes.UpsertScrapeAsync(new NewScrape(account.Id, "https://tiktok.com/@ada"));

        var listed = await scrapes.GetScrapesByAccountIdAsync(account.Id);

        CollectionAssert.AreEqual(new[] { first.Id, second.Id }, listed.Select(s => s.Id).ToArray());
        Assert.IsEmpty(await scrapes.GetScrapesByAccountIdAsync("no-such-account"));
    }

    [TestMethod]
    public async Task UpsertingAScrapeForAMissingAccountIsRejectedByTheForeignKey()
    {
        var error = await Assert.ThrowsExactlyAsync<PostgresException>(
            () => scrapes.UpsertScrapeAsync(new NewScrape("no-such-account", "https://instagram.com/x")));

        Assert.AreEqual(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
    }

    [TestMethod]
    public async Task IncrementingTheAttemptCountReturnsTheNewCountAndStampsTheAttempt()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var created = await scrapes.UpsertScrapeAsync(new NewScrape(account.Id, "https://instagram.com/ada"));

        Assert.AreEqual(1, await scrapes.IncrementScrapeAttemptCountAsync(account.Id, created.Linkhash));
        Assert.AreEqual(2, await scrapes.IncrementScrapeAttemptCountAsync(account.Id, ScrapesAccess.ComputeLinkhash("https://instagram.com/ada")));

        var read = (await scrapes.GetScrapesByAccountIdAsync(account.Id)).Single();
        Assert.AreEqual(2, read.AttemptCount);
        Assert.IsNotNull(read.LastAttemptAt);
        Assert.IsGreaterThan(created.CreatedAt, read.LastAttemptAt.Value);
        Assert.IsGreaterThan(created.UpdatedAt, read.UpdatedAt);
    }

    [TestMethod]
    public async Task ConcurrentIncrementsAreNeverLost()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var created = await scrapes.UpsertScrapeAsync(new NewScrape(account.Id, "https://instagram.com/ada"));

        var counts = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => scrapes.IncrementScrapeAttemptCountAsync(account.Id, created.Linkhash)));

        CollectionAssert.AreEquivalent(Enumerable.Range(1, 20).Select(i => (int?)i).ToArray(), counts);
    }

    [TestMethod]
    public async Task IncrementingOnlyCountsForTheGivenAccountAndLink()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var other = await TestData.CreateAccountAsync(db.DataSource);
        var target = await scrapes.UpsertScrapeAsync(new NewScrape(account.Id, "https://instagram.com/ada"));
        var sibling = await scrapes.UpsertScrapeAsync(new NewScrape(account.Id, "https://tiktok.com/@ada"));
        var elsewhere = await scrapes.UpsertScrapeAsync(new NewScrape(other.Id, "https://instagram.com/ada"));

        await scrapes.IncrementScrapeAttemptCountAsync(account.Id, target.Linkhash);

        Assert.AreEqual(1, await db.ScalarAsync("SELECT attempt_count FROM scrapes WHERE id = $1", target.Id));
        Assert.AreEqual(0, await db.ScalarAsync("SELECT attempt_count FROM scrapes WHERE id = $1", sibling.Id));
        Assert.AreEqual(0, await db.ScalarAsync("SELECT attempt_count FROM scrapes WHERE id = $1", elsewhere.Id));
    }

    [TestMethod]
    public async Task ResettingTheAttemptCountZeroesIt()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var created = await scrapes.UpsertScrapeAsync(new NewScrape(account.Id, "https://instagram.com/ada"));
        await scrapes.IncrementScrapeAttemptCountAsync(account.Id, created.Linkhash);

        Assert.IsTrue(await scrapes.ResetScrapeAttemptCountAsync(account.Id, created.Linkhash));

        var read = (await scrapes.GetScrapesByAccountIdAsync(account.Id)).Single();
        Assert.AreEqual(0, read.AttemptCount);
        Assert.IsNotNull(read.LastAttemptAt);
    }

    [TestMethod]
    public async Task AttemptsOnAMissingScrapeAffectNothing()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var linkhash = ScrapesAccess.ComputeLinkhash("https://instagram.com/nobody");

        Assert.IsNull(await scrapes.IncrementScrapeAttemptCountAsync(account.Id, linkhash));
        Assert.IsFalse(await scrapes.ResetScrapeAttemptCountAsync(account.Id, linkhash));
        Assert.IsNull(await scrapes.IncrementScrapeAttemptCountAsync("no-such-account", linkhash));
        Assert.IsEmpty(await scrapes.GetScrapesByAccountIdAsync(account.Id));
    }

    [TestMethod]
    public async Task DeletingTheAccountDeletesItsScrapes()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        await scrapes.UpsertScrapeAsync(new NewScrape(account.Id, "https://instagram.com/ada"));

        await new AccountsAccess(db.DataSource).DeleteAccountAsync(account.Id);

        Assert.IsEmpty(await scrapes.GetScrapesByAccountIdAsync(account.Id));
        Assert.AreEqual(0L, await db.ScalarAsync("SELECT count(*) FROM scrapes WHERE account_id = $1", account.Id));
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("   ")]
    public async Task BlankIdsLinksAndLinkhashesAreRejectedNamingTheArgument(string? value)
    {
        Assert.AreEqual("accountId", (await Assert.ThrowsAsync<ArgumentException>(() => scrapes.GetScrapesByAccountIdAsync(value!))).ParamName);
        Assert.AreEqual("AccountId", (await Assert.ThrowsAsync<ArgumentException>(
            () => scrapes.UpsertScrapeAsync(new NewScrape(value!, "https://instagram.com/x")))).ParamName);
        Assert.AreEqual("Link", (await Assert.ThrowsAsync<ArgumentException>(
            () => scrapes.UpsertScrapeAsync(new NewScrape("some-account", value!)))).ParamName);
        Assert.AreEqual("accountId", (await Assert.ThrowsAsync<ArgumentException>(
            () => scrapes.IncrementScrapeAttemptCountAsync(value!, "hash"))).ParamName);
        Assert.AreEqual("linkhash", (await Assert.ThrowsAsync<ArgumentException>(
            () => scrapes.IncrementScrapeAttemptCountAsync("some-account", value!))).ParamName);
        Assert.AreEqual("accountId", (await Assert.ThrowsAsync<ArgumentException>(
            () => scrapes.ResetScrapeAttemptCountAsync(value!, "hash"))).ParamName);
        Assert.AreEqual("linkhash", (await Assert.ThrowsAsync<ArgumentException>(
            () => scrapes.ResetScrapeAttemptCountAsync("some-account", value!))).ParamName);
    }

    [TestMethod]
    public async Task NegativeFollowersUndefinedRawDataAndMissingDataAreRejectedNamingTheArgument()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);

        Assert.AreEqual("Followers", (await Assert.ThrowsExactlyAsync<ArgumentOutOfRangeException>(
            () => scrapes.UpsertScrapeAsync(new NewScrape(account.Id, "https://instagram.com/x", Followers: -1)))).ParamName);
        Assert.AreEqual("RawData", (await Assert.ThrowsExactlyAsync<ArgumentException>(
            () => scrapes.UpsertScrapeAsync(new NewScrape(account.Id, "https://instagram.com/x", RawData: default(JsonElement))))).ParamName);
        Assert.AreEqual("data", (await Assert.ThrowsAsync<ArgumentException>(() => scrapes.UpsertScrapeAsync(null!))).ParamName);
        Assert.IsEmpty(await scrapes.GetScrapesByAccountIdAsync(account.Id));
    }
}
