using Likeness.Shared.Data;
using Likeness.Testing;

namespace Likeness.Shared.Tests.Data;

[TestClass]
public sealed class AccountsAccessTests
{
    private static TestDatabase db = null!;
    private static AccountsAccess accounts = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext _)
    {
        db = await TestDatabase.CreateAsync();
        accounts = new AccountsAccess(db.DataSource);
    }

    [ClassCleanup]
    public static async Task CleanupAsync() => await db.DisposeAsync();

    [TestMethod]
    public async Task CreatedAccountIsReadBackByIdWithANanoId()
    {
        var created = await accounts.CreateAccountAsync(new NewAccount("slug-" + NanoId.New(), "Ada", "ada-1a2b.jpg", "Actor"));

        var read = await accounts.GetAccountByIdAsync(created.Id);

        Assert.AreEqual(created, read);
        Assert.AreEqual(NanoId.Length, created.Id.Length);
    }

    [TestMethod]
    public async Task MissingAccountReadsAsNull()
    {
        Assert.IsNull(await accounts.GetAccountByIdAsync("no-such-account"));
        Assert.IsFalse(await accounts.AccountExistsAsync("no-such-account"));
        Assert.IsNull(await accounts.GetBaseRequirementsAsync("no-such-account"));
    }

    [TestMethod]
    public async Task DuplicateSlugIsRejectedByTheUniqueIndex()
    {
        var slug = "slug-" + NanoId.New();
        await accounts.CreateAccountAsync(new NewAccount(slug, null, null, null));

        var error = await Assert.ThrowsExactlyAsync<Npgsql.PostgresException>(
            () => accounts.CreateAccountAsync(new NewAccount(slug, null, null, null)));

        Assert.AreEqual("account_slug_unique", error.ConstraintName);
    }

    [TestMethod]
    public async Task BaseRequirementsNeedDisplayNameImageAndAnApprovedTerm()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource, displayName: " ", imageUrl: null);

        var requirements = await accounts.GetBaseRequirementsAsync(account.Id);

        Assert.AreEqual(new BaseRequirements(false, false, false), requirements);
        Assert.AreEqual("account has no display name; account has no servable profile image; account has no approved IP term", requirements!.Reason);
    }

    [TestMethod]
    public async Task AccountWithNameImageAndApprovedTermMeetsBaseRequirements()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        await db.ScalarAsync("INSERT INTO ip_terms (id, account_id, type, status) VALUES ($1, $2, 'LIKENESS', 'APPROVED')", NanoId.New(), account.Id);

        var requirements = await accounts.GetBaseRequirementsAsync(account.Id);

        Assert.IsTrue(requirements!.Met);
        Assert.IsNull(requirements.Reason);
    }

    [TestMethod]
    public async Task AProfileImageThatIsNotCompleteFailsTheBaseRequirements()
    {
        foreach (var status in new[] { MediaStatus.Uploading, MediaStatus.SoftDelete, MediaStatus.Delete })
        {
            var account = await TestData.CreateAccountAsync(db.DataSource, imageUrl: MediaFilename.Create("p.jpg"), imageStatus: status);
            await TestData.InsertTermAsync(db, account.Id, "LIKENESS", "APPROVED");

            var requirements = await accounts.GetBaseRequirementsAsync(account.Id);

            Assert.IsFalse(requirements!.HasImage, status.ToString());
        }
        var unknownFile = await new AccountsAccess(db.DataSource).CreateAccountAsync(new NewAccount("talent-" + NanoId.New(), "X", "missing-ab12.jpg", null));
        Assert.IsFalse((await accounts.GetBaseRequirementsAsync(unknownFile.Id))!.HasImage, "no media row");
    }

    [TestMethod]
    public async Task UpdatingTheProfileOfAMissingAccountAffectsNothing()
    {
        Assert.IsFalse(await accounts.UpdateAccountProfileAsync("no-such-account", "x", null, null));
    }

    [TestMethod]
    public async Task DeletingAnAccountReportsWhetherItExisted()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);

        Assert.IsTrue(await accounts.DeleteAccountAsync(account.Id));
        Assert.IsFalse(await accounts.DeleteAccountAsync(account.Id));
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("   ")]
    public async Task BlankAccountIdIsRejectedNamingTheArgument(string? accountId)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => accounts.GetAccountByIdAsync(accountId!));

        Assert.AreEqual("accountId", error.ParamName);
    }
}
