using Likeness.Shared.Data;
using Likeness.Testing;

namespace Likeness.Shared.Tests.Data;

[TestClass]
public sealed class ElevenLabsAccessTests
{
    private static TestDatabase db = null!;
    private static ElevenLabsAccess voices = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext _)
    {
        db = await TestDatabase.CreateAsync();
        voices = new ElevenLabsAccess(db.DataSource);
    }

    [ClassCleanup]
    public static async Task CleanupAsync() => await db.DisposeAsync();

    [TestMethod]
    public async Task UpsertedVoiceIsReadBackByAccountAndVoiceId()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var data = new NewElevenLabsVoice(account.Id, "voice-1", "eleven_multilingual_v2", 50, 75, 0, true, "Warm narrator", "sample-ab12.mp3");

        var created = await voices.UpsertVoiceAsync(data);
        var read = await voices.GetVoiceByAccountAndVoiceIdAsync(account.Id, "voice-1");

        Assert.AreEqual(created, read);
        Assert.AreEqual(
            new ElevenLabsVoice(account.Id, "voice-1", "eleven_multilingual_v2", 50, 75, 0, true, "Warm narrator", "sample-ab12.mp3", created.CreatedAt, created.UpdatedAt),
            read);
    }

    [TestMethod]
    public async Task VoiceWithOnlyIdsHasUnknownSettings()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);

        var created = await voices.UpsertVoiceAsync(new NewElevenLabsVoice(account.Id, "voice-1"));

        Assert.AreEqual(new ElevenLabsVoice(account.Id, "voice-1", null, null, null, null, null, null, null, created.CreatedAt, created.UpdatedAt), created);
    }

    [TestMethod]
    public async Task UpsertingAnExistingVoiceReplacesEverySettingAndKeepsCreatedAt()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var first = await voices.UpsertVoiceAsync(new NewElevenLabsVoice(account.Id, "voice-1", "m1", 10, 20, 30, true, "Old", "old-ab12.mp3"));

        var second = await voices.UpsertVoiceAsync(new NewElevenLabsVoice(account.Id, "voice-1", "m2", 40, 50, 60, false, "New", null));

        Assert.AreEqual(
            new ElevenLabsVoice(account.Id, "voice-1", "m2", 40, 50, 60, false, "New", null, first.CreatedAt, second.UpdatedAt),
            second);
        Assert.IsGreaterThan(first.UpdatedAt, second.UpdatedAt);
        Assert.HasCount(1, await voices.ListVoicesByAccountIdAsync(account.Id));
    }

    [TestMethod]
    public async Task AnAccountHasManyVoicesListedOldestFirstAndOnlyItsOwn()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var other = await TestData.CreateAccountAsync(db.DataSource);
        var a = await voices.UpsertVoiceAsync(new NewElevenLabsVoice(account.Id, "voice-b"));
        var b = await voices.UpsertVoiceAsync(new NewElevenLabsVoice(account.Id, "voice-a"));
        await voices.UpsertVoiceAsync(new NewElevenLabsVoice(other.Id, "voice-a"));

        var listed = await voices.ListVoicesByAccountIdAsync(account.Id);

        CollectionAssert.AreEqual(new[] { a, b }, listed.ToArray());
    }

    [TestMethod]
    public async Task UpdatingTheVoiceExampleSetsItAndTouchesUpdatedAt()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var created = await voices.UpsertVoiceAsync(new NewElevenLabsVoice(account.Id, "voice-1", "m1", 10, 20, 30, true, "Title"));

        Assert.IsTrue(await voices.UpdateVoiceExampleAsync(account.Id, "voice-1", "example-cd34.mp3"));

        var read = await voices.GetVoiceByAccountAndVoiceIdAsync(account.Id, "voice-1");
        Assert.AreEqual(created with { VoiceExample = "example-cd34.mp3", UpdatedAt = read!.UpdatedAt }, read);
        Assert.IsGreaterThan(created.UpdatedAt, read.UpdatedAt);
    }

    [TestMethod]
    public async Task MissingVoiceReadsAsNullAndIsNeitherUpdatedNorDeleted()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        await voices.UpsertVoiceAsync(new NewElevenLabsVoice(account.Id, "voice-1"));

        Assert.IsNull(await voices.GetVoiceByAccountAndVoiceIdAsync(account.Id, "no-such-voice"));
        Assert.IsNull(await voices.GetVoiceByAccountAndVoiceIdAsync("no-such-account", "voice-1"));
        Assert.IsEmpty(await voices.ListVoicesByAccountIdAsync("no-such-account"));
        Assert.IsFalse(await voices.UpdateVoiceExampleAsync(account.Id, "no-such-voice", "example-cd34.mp3"));
        Assert.IsFalse(await voices.DeleteVoiceByAccountAndVoiceIdAsync(account.Id, "no-such-voice"));
        Assert.AreEqual(0, await voices.DeleteAllVoicesByAccountIdAsync("no-such-account"));
    }

    [TestMethod]
    public async Task DeletingOneVoiceLeavesTheAccountsOtherVoices()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        await voices.UpsertVoiceAsync(new NewElevenLabsVoice(account.Id, "voice-1"));
        var kept = await voices.UpsertVoiceAsync(new NewElevenLabsVoice(account.Id, "voice-2"));

        Assert.IsTrue(await voices.DeleteVoiceByAccountAndVoiceIdAsync(account.Id, "voice-1"));

        Assert.IsNull(await voices.GetVoiceByAccountAndVoiceIdAsync(account.Id, "voice-1"));
        CollectionAssert.AreEqual(new[] { kept }, (await voices.ListVoicesByAccountIdAsync(account.Id)).ToArray());
    }

    [TestMethod]
    public async Task DeletingAllVoicesOfAnAccountReturnsHowManyThereWereAndSparesOtherAccounts()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var other = await TestData.CreateAccountAsync(db.DataSource);
        await voices.UpsertVoiceAsync(new NewElevenLabsVoice(account.Id, "voice-1"));
        await voices.UpsertVoiceAsync(new NewElevenLabsVoice(account.Id, "voice-2"));
        await voices.UpsertVoiceAsync(new NewElevenLabsVoice(other.Id, "voice-1"));

        Assert.AreEqual(2, await voices.DeleteAllVoicesByAccountIdAsync(account.Id));

        Assert.IsEmpty(await voices.ListVoicesByAccountIdAsync(account.Id));
        Assert.HasCount(1, await voices.ListVoicesByAccountIdAsync(other.Id));
    }

    [TestMethod]
    public async Task DeletingTheAccountDeletesItsVoices()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        await voices.UpsertVoiceAsync(new NewElevenLabsVoice(account.Id, "voice-1"));

        await new AccountsAccess(db.DataSource).DeleteAccountAsync(account.Id);

        Assert.AreEqual(0L, await db.ScalarAsync("SELECT count(*) FROM eleven_labs WHERE account_id = $1", account.Id));
    }

    [TestMethod]
    public async Task VoiceOfAMissingAccountIsRejectedByTheForeignKey()
    {
        var error = await Assert.ThrowsExactlyAsync<Npgsql.PostgresException>(
            () => voices.UpsertVoiceAsync(new NewElevenLabsVoice("no-such-account", "voice-1")));

        Assert.AreEqual(Npgsql.PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
    }

    [TestMethod]
    public async Task SettingsAtZeroAndOneHundredAreAccepted()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);

        var low = await voices.UpsertVoiceAsync(new NewElevenLabsVoice(account.Id, "low", Stability: 0, SimilarityBoost: 0, Style: 0));
        var high = await voices.UpsertVoiceAsync(new NewElevenLabsVoice(account.Id, "high", Stability: 100, SimilarityBoost: 100, Style: 100));

        Assert.AreEqual((0, 0, 0), (low.Stability, low.SimilarityBoost, low.Style));
        Assert.AreEqual((100, 100, 100), (high.Stability, high.SimilarityBoost, high.Style));
    }

    [TestMethod]
    [DataRow("Stability", -1)]
    [DataRow("Stability", 101)]
    [DataRow("SimilarityBoost", -1)]
    [DataRow("SimilarityBoost", 101)]
    [DataRow("Style", -1)]
    [DataRow("Style", 101)]
    public async Task SettingsOutsideZeroToOneHundredAreRejectedNamingTheSetting(string setting, int value)
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var data = new NewElevenLabsVoice(account.Id, "voice-1");
        data = setting switch
        {
            "Stability" => data with { Stability = value },
            "SimilarityBoost" => data with { SimilarityBoost = value },
            _ => data with { Style = value },
        };

        var error = await Assert.ThrowsExactlyAsync<ArgumentOutOfRangeException>(() => voices.UpsertVoiceAsync(data));

        Assert.AreEqual(setting, error.ParamName);
        Assert.IsEmpty(await voices.ListVoicesByAccountIdAsync(account.Id));
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("  ")]
    public async Task BlankIdsAreRejectedNamingTheArgument(string? blank)
    {
        Assert.AreEqual("accountId", (await Assert.ThrowsAsync<ArgumentException>(() => voices.GetVoiceByAccountAndVoiceIdAsync(blank!, "v"))).ParamName);
        Assert.AreEqual("voiceId", (await Assert.ThrowsAsync<ArgumentException>(() => voices.GetVoiceByAccountAndVoiceIdAsync("a", blank!))).ParamName);
        Assert.AreEqual("accountId", (await Assert.ThrowsAsync<ArgumentException>(() => voices.ListVoicesByAccountIdAsync(blank!))).ParamName);
        Assert.AreEqual("AccountId", (await Assert.ThrowsAsync<ArgumentException>(() => voices.UpsertVoiceAsync(new NewElevenLabsVoice(blank!, "v")))).ParamName);
        Assert.AreEqual("VoiceId", (await Assert.ThrowsAsync<ArgumentException>(() => voices.UpsertVoiceAsync(new NewElevenLabsVoice("a", blank!)))).ParamName);
        Assert.AreEqual("voiceExampleUrl", (await Assert.ThrowsAsync<ArgumentException>(() => voices.UpdateVoiceExampleAsync("a", "v", blank!))).ParamName);
        Assert.AreEqual("voiceId", (await Assert.ThrowsAsync<ArgumentException>(() => voices.DeleteVoiceByAccountAndVoiceIdAsync("a", blank!))).ParamName);
        Assert.AreEqual("accountId", (await Assert.ThrowsAsync<ArgumentException>(() => voices.DeleteAllVoicesByAccountIdAsync(blank!))).ParamName);
    }

    [TestMethod]
    public async Task NullVoiceDataIsRejected()
    {
        var error = await Assert.ThrowsExactlyAsync<ArgumentNullException>(() => voices.UpsertVoiceAsync(null!));

        Assert.AreEqual("data", error.ParamName);
    }
}
