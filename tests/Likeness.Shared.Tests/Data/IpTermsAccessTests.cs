using Likeness.Shared.Data;
using Likeness.Testing;
using Npgsql;

namespace Likeness.Shared.Tests.Data;

[TestClass]
public sealed class IpTermsAccessTests
{
    private static TestDatabase db = null!;
    private static IpTermsAccess terms = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext _)
    {
        db = await TestDatabase.CreateAsync();
        terms = new IpTermsAccess(db.DataSource);
    }

    [ClassCleanup]
    public static async Task CleanupAsync() => await db.DisposeAsync();

    [TestMethod]
    public async Task CreatedTermIsListedForItsAccountWithANanoId()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var other = await TestData.CreateAccountAsync(db.DataSource);
        await terms.CreateIpTermAsync(other.Id, IpTermType.Image, IpTermStatus.Approved);

        var created = await terms.CreateIpTermAsync(account.Id, IpTermType.VoiceOver, IpTermStatus.Pending);

        CollectionAssert.AreEqual(new[] { created }, (await terms.ListIpTermsByAccountIdAsync(account.Id)).ToArray());
        Assert.AreEqual(NanoId.Length, created.Id.Length);
        Assert.AreEqual(account.Id, created.AccountId);
        Assert.AreEqual(IpTermType.VoiceOver, created.Type);
        Assert.AreEqual(IpTermStatus.Pending, created.Status);
    }

    [TestMethod]
    public async Task EveryTypeAndStatusIsStoredUnderItsDatabaseLabel()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);

        foreach (var type in Enum.GetValues<IpTermType>())
        {
            foreach (var status in Enum.GetValues<IpTermStatus>())
            {
                var created = await terms.CreateIpTermAsync(account.Id, type, status);

                Assert.AreEqual(DbEnum<IpTermType>.ToLabel(type), await db.ScalarAsync("SELECT type::text FROM ip_terms WHERE id = $1", created.Id));
                Assert.AreEqual(DbEnum<IpTermStatus>.ToLabel(status), await db.ScalarAsync("SELECT status::text FROM ip_terms WHERE id = $1", created.Id));
                Assert.AreEqual((type, status), (created.Type, created.Status));
            }
        }
        Assert.AreEqual("VOICE_OVER", DbEnum<IpTermType>.ToLabel(IpTermType.VoiceOver));
    }

    [TestMethod]
    public async Task TermsAreListedOldestFirst()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var first = await terms.CreateIpTermAsync(account.Id, IpTermType.Likeness, IpTermStatus.Draft);
        var second = await terms.CreateIpTermAsync(account.Id, IpTermType.Image, IpTermStatus.Draft);

        var listed = await terms.ListIpTermsByAccountIdAsync(account.Id);

        CollectionAssert.AreEqual(new[] { first.Id, second.Id }, listed.Select(t => t.Id).ToArray());
    }

    [TestMethod]
    public async Task AccountWithoutTermsListsNothing()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);

        Assert.IsEmpty(await terms.ListIpTermsByAccountIdAsync(account.Id));
        Assert.IsEmpty(await terms.ListIpTermsByAccountIdAsync("no-such-account"));
    }

    [TestMethod]
    public async Task CreatingATermForAMissingAccountIsRejectedByTheForeignKey()
    {
        var error = await Assert.ThrowsExactlyAsync<PostgresException>(
            () => terms.CreateIpTermAsync("no-such-account", IpTermType.Likeness, IpTermStatus.Draft));

        Assert.AreEqual(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
    }

    [TestMethod]
    public async Task UpdatingTheStatusStoresItAndTouchesUpdatedAt()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var created = await terms.CreateIpTermAsync(account.Id, IpTermType.Likeness, IpTermStatus.Pending);

        Assert.IsTrue(await terms.UpdateIpTermStatusAsync(created.Id, IpTermStatus.Approved));

        var updated = (await terms.ListIpTermsByAccountIdAsync(account.Id)).Single();
        Assert.AreEqual(IpTermStatus.Approved, updated.Status);
        Assert.AreEqual(created.CreatedAt, updated.CreatedAt);
        Assert.IsGreaterThan(created.UpdatedAt, updated.UpdatedAt);
    }

    [TestMethod]
    public async Task UpdatingTheStatusOfAMissingTermReturnsFalse()
    {
        Assert.IsFalse(await terms.UpdateIpTermStatusAsync("no-such-term", IpTermStatus.Approved));
    }

    [TestMethod]
    [DataRow(IpTermStatus.Draft)]
    [DataRow(IpTermStatus.Pending)]
    [DataRow(IpTermStatus.Rejected)]
    [DataRow(IpTermStatus.Revoked)]
    public async Task OnlyAnApprovedTermCountsAsApproved(IpTermStatus status)
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var term = await terms.CreateIpTermAsync(account.Id, IpTermType.Likeness, status);

        Assert.IsFalse(await terms.HasApprovedTermAsync(account.Id));

        await terms.UpdateIpTermStatusAsync(term.Id, IpTermStatus.Approved);

        Assert.IsTrue(await terms.HasApprovedTermAsync(account.Id));
    }

    [TestMethod]
    public async Task ApprovedTermOfAnotherTypeDoesNotSatisfyATypedCheck()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        await terms.CreateIpTermAsync(account.Id, IpTermType.Likeness, IpTermStatus.Approved);
        await terms.CreateIpTermAsync(account.Id, IpTermType.VoiceOver, IpTermStatus.Pending);

        Assert.IsTrue(await terms.HasApprovedTermAsync(account.Id));
        Assert.IsTrue(await terms.HasApprovedTermAsync(account.Id, IpTermType.Likeness));
        Assert.IsFalse(await terms.HasApprovedTermAsync(account.Id, IpTermType.VoiceOver));
        Assert.IsFalse(await terms.HasApprovedTermAsync(account.Id, IpTermType.Image));
    }

    [TestMethod]
    public async Task ApprovedTermOfAnotherAccountDoesNotCount()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var other = await TestData.CreateAccountAsync(db.DataSource);
        await terms.CreateIpTermAsync(other.Id, IpTermType.VoiceOver, IpTermStatus.Approved);

        Assert.IsFalse(await terms.HasApprovedTermAsync(account.Id));
        Assert.IsFalse(await terms.HasApprovedTermAsync(account.Id, IpTermType.VoiceOver));
        Assert.IsFalse(await terms.HasApprovedTermAsync("no-such-account"));
    }

    [TestMethod]
    public async Task DeletingTheAccountDeletesItsTerms()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        await terms.CreateIpTermAsync(account.Id, IpTermType.Likeness, IpTermStatus.Approved);

        await new AccountsAccess(db.DataSource).DeleteAccountAsync(account.Id);

        Assert.AreEqual(0L, await db.ScalarAsync("SELECT count(*) FROM ip_terms WHERE account_id = $1", account.Id));
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("   ")]
    public async Task BlankIdsAreRejectedNamingTheArgument(string? id)
    {
        Assert.AreEqual("accountId", (await Assert.ThrowsAsync<ArgumentException>(
            () => terms.CreateIpTermAsync(id!, IpTermType.Likeness, IpTermStatus.Draft))).ParamName);
        Assert.AreEqual("accountId", (await Assert.ThrowsAsync<ArgumentException>(
            () => terms.ListIpTermsByAccountIdAsync(id!))).ParamName);
        Assert.AreEqual("accountId", (await Assert.ThrowsAsync<ArgumentException>(
            () => terms.HasApprovedTermAsync(id!))).ParamName);
        Assert.AreEqual("id", (await Assert.ThrowsAsync<ArgumentException>(
            () => terms.UpdateIpTermStatusAsync(id!, IpTermStatus.Approved))).ParamName);
    }

    [TestMethod]
    public async Task UndefinedEnumValuesAreRejectedNamingTheArgument()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);

        Assert.AreEqual("type", (await Assert.ThrowsAsync<ArgumentException>(
            () => terms.CreateIpTermAsync(account.Id, (IpTermType)99, IpTermStatus.Draft))).ParamName);
        Assert.AreEqual("status", (await Assert.ThrowsAsync<ArgumentException>(
            () => terms.CreateIpTermAsync(account.Id, IpTermType.Likeness, (IpTermStatus)99))).ParamName);
        Assert.AreEqual("status", (await Assert.ThrowsAsync<ArgumentException>(
            () => terms.UpdateIpTermStatusAsync("some-term", (IpTermStatus)99))).ParamName);
        Assert.AreEqual("type", (await Assert.ThrowsAsync<ArgumentException>(
            () => terms.HasApprovedTermAsync(account.Id, (IpTermType)99))).ParamName);
        Assert.IsEmpty(await terms.ListIpTermsByAccountIdAsync(account.Id));
    }
}
