using Likeness.Shared.Data;
using Likeness.Testing;
using Npgsql;

namespace Likeness.Shared.Tests.Data;

[TestClass]
public sealed class LikenessAssetsAccessTests
{
    private const int MaxAttempts = 5;

    private static readonly SearchAttributes Tags = new()
    {
        Gender = Gender.Female,
        HairColor = HairColor.Blonde,
        BirthYear = 1990,
        WearGlasses = false,
        Accent = Accent.BritishRp,
    };

    private static TestDatabase db = null!;
    private static LikenessAssetsAccess assets = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext _)
    {
        db = await TestDatabase.CreateAsync();
        assets = new LikenessAssetsAccess(db.DataSource);
    }

    [ClassCleanup]
    public static async Task CleanupAsync() => await db.DisposeAsync();

    [TestMethod]
    public async Task CreatedAssetIsReadBackByIdWithoutTagsOrAttempts()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);

        var created = await assets.CreateAssetAsync(new NewLikenessAsset(account.Id, AssetType.Image, "photo-a3f2.jpg"));

        Assert.AreEqual(created, await assets.GetAssetByIdAsync(created.Id));
        Assert.AreEqual(NanoId.Length, created.Id.Length);
        Assert.AreEqual(account.Id, created.AccountId);
        Assert.AreEqual(AssetType.Image, created.Type);
        Assert.AreEqual("photo-a3f2.jpg", created.ContentUrl);
        Assert.IsNull(created.SearchTags);
        Assert.IsNull(created.VoiceSampleUrl);
        Assert.AreEqual(0, created.TagAttemptCount);
        Assert.IsNull(created.TagLastAttemptAt);
    }

    [TestMethod]
    public async Task AssetCreatedWithTagsAndVoiceSampleReadsThemBack()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);

        var created = await assets.CreateAssetAsync(
            new NewLikenessAsset(account.Id, AssetType.Voice, "voice-1.mp3", Tags, "sample-1.mp3"));

        var read = await assets.GetAssetByIdAsync(created.Id);
        Assert.AreEqual(AssetType.Voice, read!.Type);
        Assert.AreEqual(Tags, read.SearchTags);
        Assert.AreEqual("sample-1.mp3", read.VoiceSampleUrl);
    }

    [TestMethod]
    public async Task MissingAssetReadsAsNullAndIsNeverUpdated()
    {
        Assert.IsNull(await assets.GetAssetByIdAsync("no-such-asset"));
        Assert.IsFalse(await assets.UpdateAssetSearchTagsAsync("no-such-asset", Tags));
        Assert.IsFalse(await assets.UpdateAssetVoiceSampleAsync("no-such-asset", "sample.mp3"));
        Assert.IsNull(await assets.IncrementTagAttemptCountAsync("no-such-asset"));
        Assert.IsFalse(await assets.ResetTagAttemptCountAsync("no-such-asset"));
    }

    [TestMethod]
    public async Task CreatingAnAssetForAMissingAccountIsRejectedByTheForeignKey()
    {
        var error = await Assert.ThrowsExactlyAsync<PostgresException>(
            () => assets.CreateAssetAsync(new NewLikenessAsset("no-such-account", AssetType.Image, "photo.jpg")));

        Assert.AreEqual(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
    }

    [TestMethod]
    public async Task ListingReturnsOnlyTheAccountsAssetsOldestFirst()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var other = await TestData.CreateAccountAsync(db.DataSource);
        var first = await assets.CreateAssetAsync(new NewLikenessAsset(account.Id, AssetType.Image, "a.jpg"));
        await assets.CreateAssetAsync(new NewLikenessAsset(other.Id, AssetType.Image, "other.jpg"));
        var second = await assets.CreateAssetAsync(new NewLikenessAsset(account.Id, AssetType.Voice, "b.mp3"));

        var listed = await assets.ListAssetsByAccountIdAsync(account.Id);

        CollectionAssert.AreEqual(new[] { first, second }, listed.ToArray());
        Assert.IsEmpty(await assets.ListAssetsByAccountIdAsync("no-such-account"));
    }

    [TestMethod]
    public async Task UnprocessedAssetsAreThoseWithoutTagsAndWithAttemptsLeft()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var image = await assets.CreateAssetAsync(new NewLikenessAsset(account.Id, AssetType.Image, "new.jpg"));
        var voice = await assets.CreateAssetAsync(new NewLikenessAsset(account.Id, AssetType.Voice, "new.mp3"));
        await assets.CreateAssetAsync(new NewLikenessAsset(account.Id, AssetType.Image, "tagged.jpg", Tags));
        var exhausted = await assets.CreateAssetAsync(new NewLikenessAsset(account.Id, AssetType.Image, "exhausted.jpg"));
        for (var i = 0; i < MaxAttempts; i++)
        {
            await assets.IncrementTagAttemptCountAsync(exhausted.Id);
        }
        var retried = await assets.CreateAssetAsync(new NewLikenessAsset(account.Id, AssetType.Image, "retried.jpg"));
        await assets.IncrementTagAttemptCountAsync(retried.Id);
        var otherAccount = await TestData.CreateAccountAsync(db.DataSource);
        await assets.CreateAssetAsync(new NewLikenessAsset(otherAccount.Id, AssetType.Image, "other.jpg"));

        var unprocessed = await assets.GetUnprocessedAssetsAsync(account.Id, MaxAttempts);

        CollectionAssert.AreEqual(new[] { image.Id, voice.Id, retried.Id }, unprocessed.Select(a => a.Id).ToArray());
        CollectionAssert.AreEqual(new[] { image.Id, voice.Id }, (await assets.GetUnprocessedAssetsAsync(account.Id, 1)).Select(a => a.Id).ToArray());
        Assert.IsEmpty(await assets.GetUnprocessedAssetsAsync("no-such-account", MaxAttempts));
    }

    [TestMethod]
    public async Task UpdatedSearchTagsAreStoredAsLikenessJsonAndReadBack()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var created = await assets.CreateAssetAsync(new NewLikenessAsset(account.Id, AssetType.Image, "photo.jpg"));

        Assert.IsTrue(await assets.UpdateAssetSearchTagsAsync(created.Id, Tags));

        var read = await assets.GetAssetByIdAsync(created.Id);
        Assert.AreEqual(Tags, read!.SearchTags);
        Assert.IsGreaterThan(created.UpdatedAt, read.UpdatedAt);
        Assert.IsTrue((bool)(await db.ScalarAsync(
            """SELECT search_tags = '{"gender":"FEMALE","hairColor":"BLONDE","birthYear":1990,"wearGlasses":false,"accent":"BRITISH_RP"}'::jsonb FROM likeness_assets WHERE id = $1""",
            created.Id))!);
        Assert.IsEmpty(await assets.GetUnprocessedAssetsAsync(account.Id, MaxAttempts));
    }

    [TestMethod]
    public async Task EmptyTagsStillMarkTheAssetProcessed()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var created = await assets.CreateAssetAsync(new NewLikenessAsset(account.Id, AssetType.Image, "photo.jpg"));

        await assets.UpdateAssetSearchTagsAsync(created.Id, new SearchAttributes());

        Assert.AreEqual(new SearchAttributes(), (await assets.GetAssetByIdAsync(created.Id))!.SearchTags);
        Assert.IsEmpty(await assets.GetUnprocessedAssetsAsync(account.Id, MaxAttempts));
    }

    [TestMethod]
    public async Task UpdatingTheVoiceSampleStoresItsFilename()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var created = await assets.CreateAssetAsync(new NewLikenessAsset(account.Id, AssetType.Voice, "voice.mp3"));

        Assert.IsTrue(await assets.UpdateAssetVoiceSampleAsync(created.Id, "sample-9f.mp3"));

        var read = await assets.GetAssetByIdAsync(created.Id);
        Assert.AreEqual("sample-9f.mp3", read!.VoiceSampleUrl);
        Assert.IsGreaterThan(created.UpdatedAt, read.UpdatedAt);
    }

    [TestMethod]
    public async Task VoiceAssetIsLinkedToItsOwnCloneAndUnlinkedWhenTheCloneIsDeleted()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var voices = new ElevenLabsAccess(db.DataSource);
        await voices.UpsertVoiceAsync(new NewElevenLabsVoice(account.Id, "voice-1"));
        var first = await assets.CreateAssetAsync(new NewLikenessAsset(account.Id, AssetType.Voice, "voice-ab12.wav"));
        var second = await assets.CreateAssetAsync(new NewLikenessAsset(account.Id, AssetType.Voice, "voice-cd34.wav"));
        Assert.IsNull(first.VoiceId);

        Assert.IsTrue(await assets.UpdateAssetVoiceIdAsync(first.Id, "voice-1"));

        Assert.AreEqual("voice-1", (await assets.GetAssetByIdAsync(first.Id))!.VoiceId);
        var shared = await Assert.ThrowsExactlyAsync<PostgresException>(() => assets.UpdateAssetVoiceIdAsync(second.Id, "voice-1"));
        Assert.AreEqual(PostgresErrorCodes.UniqueViolation, shared.SqlState, "one asset per clone");
        var foreign = await Assert.ThrowsExactlyAsync<PostgresException>(() => assets.UpdateAssetVoiceIdAsync(second.Id, "not-this-accounts-voice"));
        Assert.AreEqual(PostgresErrorCodes.ForeignKeyViolation, foreign.SqlState);
        Assert.IsFalse(await assets.UpdateAssetVoiceIdAsync("no-such-asset", "voice-1"));

        Assert.IsTrue(await voices.DeleteVoiceByAccountAndVoiceIdAsync(account.Id, "voice-1"));

        Assert.IsNull((await assets.GetAssetByIdAsync(first.Id))!.VoiceId);
    }

    [TestMethod]
    public async Task IncrementingTheAttemptCountReturnsTheNewCountAndStampsTheAttempt()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var created = await assets.CreateAssetAsync(new NewLikenessAsset(account.Id, AssetType.Image, "photo.jpg"));

        Assert.AreEqual(1, await assets.IncrementTagAttemptCountAsync(created.Id));
        Assert.AreEqual(2, await assets.IncrementTagAttemptCountAsync(created.Id));

        var read = await assets.GetAssetByIdAsync(created.Id);
        Assert.AreEqual(2, read!.TagAttemptCount);
        Assert.IsNotNull(read.TagLastAttemptAt);
        Assert.IsGreaterThan(created.CreatedAt, read.TagLastAttemptAt.Value);
        Assert.IsGreaterThan(created.UpdatedAt, read.UpdatedAt);
    }

    [TestMethod]
    public async Task ConcurrentIncrementsAreNeverLost()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var created = await assets.CreateAssetAsync(new NewLikenessAsset(account.Id, AssetType.Image, "photo.jpg"));

        var counts = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => assets.IncrementTagAttemptCountAsync(created.Id)));

        CollectionAssert.AreEquivalent(Enumerable.Range(1, 20).Select(i => (int?)i).ToArray(), counts);
        Assert.AreEqual(20, (await assets.GetAssetByIdAsync(created.Id))!.TagAttemptCount);
    }

    [TestMethod]
    public async Task ResettingTheAttemptCountMakesAnExhaustedAssetUnprocessedAgain()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var created = await assets.CreateAssetAsync(new NewLikenessAsset(account.Id, AssetType.Image, "photo.jpg"));
        for (var i = 0; i < MaxAttempts; i++)
        {
            await assets.IncrementTagAttemptCountAsync(created.Id);
        }
        Assert.IsEmpty(await assets.GetUnprocessedAssetsAsync(account.Id, MaxAttempts));

        Assert.IsTrue(await assets.ResetTagAttemptCountAsync(created.Id));

        var read = (await assets.GetUnprocessedAssetsAsync(account.Id, MaxAttempts)).Single();
        Assert.AreEqual(0, read.TagAttemptCount);
        Assert.IsNotNull(read.TagLastAttemptAt);
    }

    [TestMethod]
    public async Task DeletingTheAccountDeletesItsAssets()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var created = await assets.CreateAssetAsync(new NewLikenessAsset(account.Id, AssetType.Image, "photo.jpg"));

        await new AccountsAccess(db.DataSource).DeleteAccountAsync(account.Id);

        Assert.IsNull(await assets.GetAssetByIdAsync(created.Id));
        Assert.IsEmpty(await assets.ListAssetsByAccountIdAsync(account.Id));
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("   ")]
    public async Task BlankIdsAreRejectedNamingTheArgument(string? id)
    {
        Assert.AreEqual("id", (await Assert.ThrowsAsync<ArgumentException>(() => assets.GetAssetByIdAsync(id!))).ParamName);
        Assert.AreEqual("accountId", (await Assert.ThrowsAsync<ArgumentException>(() => assets.ListAssetsByAccountIdAsync(id!))).ParamName);
        Assert.AreEqual("accountId", (await Assert.ThrowsAsync<ArgumentException>(() => assets.GetUnprocessedAssetsAsync(id!, MaxAttempts))).ParamName);
        Assert.AreEqual("AccountId", (await Assert.ThrowsAsync<ArgumentException>(
            () => assets.CreateAssetAsync(new NewLikenessAsset(id!, AssetType.Image, "photo.jpg")))).ParamName);
        Assert.AreEqual("ContentUrl", (await Assert.ThrowsAsync<ArgumentException>(
            () => assets.CreateAssetAsync(new NewLikenessAsset("some-account", AssetType.Image, id!)))).ParamName);
        Assert.AreEqual("id", (await Assert.ThrowsAsync<ArgumentException>(() => assets.UpdateAssetSearchTagsAsync(id!, Tags))).ParamName);
        Assert.AreEqual("id", (await Assert.ThrowsAsync<ArgumentException>(() => assets.UpdateAssetVoiceSampleAsync(id!, "sample.mp3"))).ParamName);
        Assert.AreEqual("voiceSampleUrl", (await Assert.ThrowsAsync<ArgumentException>(() => assets.UpdateAssetVoiceSampleAsync("some-asset", id!))).ParamName);
        Assert.AreEqual("id", (await Assert.ThrowsAsync<ArgumentException>(() => assets.IncrementTagAttemptCountAsync(id!))).ParamName);
        Assert.AreEqual("id", (await Assert.ThrowsAsync<ArgumentException>(() => assets.ResetTagAttemptCountAsync(id!))).ParamName);
    }

    [TestMethod]
    public async Task MissingDataUndefinedTypeAndMissingTagsAreRejectedNamingTheArgument()
    {
        Assert.AreEqual("data", (await Assert.ThrowsAsync<ArgumentException>(() => assets.CreateAssetAsync(null!))).ParamName);
        Assert.AreEqual("Type", (await Assert.ThrowsAsync<ArgumentException>(
            () => assets.CreateAssetAsync(new NewLikenessAsset("some-account", (AssetType)99, "photo.jpg")))).ParamName);
        Assert.AreEqual("searchTags", (await Assert.ThrowsAsync<ArgumentException>(
            () => assets.UpdateAssetSearchTagsAsync("some-asset", null!))).ParamName);
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(-1)]
    public async Task NonPositiveMaxAttemptsIsRejectedNamingTheArgument(int maxAttempts)
    {
        var error = await Assert.ThrowsExactlyAsync<ArgumentOutOfRangeException>(
            () => assets.GetUnprocessedAssetsAsync("some-account", maxAttempts));

        Assert.AreEqual("maxAttempts", error.ParamName);
    }
}
