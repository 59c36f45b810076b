using Likeness.Shared.Data;
using Likeness.Testing;

namespace Likeness.Shared.Tests.Data;

[TestClass]
public sealed class SearchReadAccessTests
{
    private static readonly SearchAttributes Full = new()
    {
        Category = Category.VoiceArtists,
        Gender = Gender.NonBinary,
        Country = Country.Uae,
        TargetAudience = TargetAudience.Age18To35,
        NumberOfFollowers = 9_007_199_254_740_993,
        PrimaryPlatform = Platform.OnlyFans,
        IsVerified = false,
        ContentNiche = ContentNiche.Parenting,
        EngagementRate = 0.1 + 0.2,
        BirthYear = 1988,
        Height = 181,
        Weight = 77,
        BodyType = BodyType.PlusSize,
        HairColor = HairColor.Auburn,
        HairLength = HairLength.VeryLong,
        HairType = HairType.Kinky,
        EyeColor = EyeColor.Hazel,
        SkinColor = SkinColor.Olive,
        Ethnicity = Ethnicity.MiddleEastern,
        FaceShape = FaceShape.Heart,
        FacialHair = FacialHair.BeardFull,
        WearGlasses = true,
        HasTattoos = false,
        HasPiercings = true,
        VoicePitch = VoicePitch.VeryLow,
        VoiceTone = VoiceTone.Authoritative,
        Accent = Accent.BritishRp,
        PrimaryLanguage = Language.Hebrew,
    };

    private static TestDatabase db = null!;
    private static SearchReadAccess reads = null!;

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Token => TestContext.CancellationToken;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext _)
    {
        db = await TestDatabase.CreateAsync();
        reads = new SearchReadAccess(db.DataSource);
    }

    [ClassCleanup]
    public static async Task CleanupAsync() => await db.DisposeAsync();

    [TestMethod]
    public async Task CardsCarryTheAccountAndEveryAttributeExactlyAsStored()
    {
        var indexed = await TestData.CreateAccountAsync(db.DataSource, displayName: "Full", imageUrl: "full-ab12.png");
        await new LikenessSearchAccess(db.DataSource).UpsertSearchIndexAsync(indexed.Id, Full, Token);
        var sparse = await TestData.CreateAccountAsync(db.DataSource, displayName: null, imageUrl: null);
        await new LikenessSearchAccess(db.DataSource).UpsertSearchIndexAsync(sparse.Id, new SearchAttributes { Height = 150 }, Token);
        var notIndexed = await TestData.CreateAccountAsync(db.DataSource);
        var uploading = await TestData.CreateAccountAsync(db.DataSource, imageUrl: "new-cd34.png", imageStatus: MediaStatus.Uploading);

        var cards = await reads.GetAccountCardsAsync([indexed.Id, sparse.Id, notIndexed.Id, uploading.Id, "no-such-account"], cancellationToken: Token);

        Assert.HasCount(4, cards);
        Assert.IsNull(cards[uploading.Id].ImageUrl, "an image that is not servable is left out");
        Assert.AreEqual(new AccountCard(indexed.Id, indexed.Slug, "Full", "full-ab12.png", Full), cards[indexed.Id]);
        Assert.AreEqual(new AccountCard(sparse.Id, sparse.Slug, null, null, new SearchAttributes { Height = 150 }), cards[sparse.Id]);
        Assert.IsNull(cards[notIndexed.Id].Attributes);
        Assert.IsEmpty(await reads.GetAccountCardsAsync([], cancellationToken: Token));
    }

    [TestMethod]
    public async Task CardsReadWithoutAttributesCarryTheSameAccountsAndNoAttributes()
    {
        var indexed = await TestData.CreateAccountAsync(db.DataSource, displayName: "Full", imageUrl: "bare-ef56.png");
        await new LikenessSearchAccess(db.DataSource).UpsertSearchIndexAsync(indexed.Id, Full, Token);
        var uploading = await TestData.CreateAccountAsync(db.DataSource, imageUrl: "late-gh78.png", imageStatus: MediaStatus.Uploading);

        var cards = await reads.GetAccountCardsAsync([indexed.Id, uploading.Id, "no-such-account"], withAttributes: false, Token);

        Assert.HasCount(2, cards);
        Assert.AreEqual(new AccountCard(indexed.Id, indexed.Slug, "Full", "bare-ef56.png", null), cards[indexed.Id]);
        Assert.IsNull(cards[uploading.Id].ImageUrl, "an image that is not servable is left out");
    }

    [TestMethod]
    public async Task ServableImageAssetsAreGroupedByAccountOldestFirst()
    {
        var assets = new LikenessAssetsAccess(db.DataSource);
        var first = await TestData.CreateAccountAsync(db.DataSource);
        var second = await TestData.CreateAccountAsync(db.DataSource);
        var none = await TestData.CreateAccountAsync(db.DataSource);
        var a1 = await assets.CreateAssetAsync(new NewLikenessAsset(first.Id, AssetType.Image, "one-aa11.jpg"), Token);
        var a2 = await assets.CreateAssetAsync(new NewLikenessAsset(first.Id, AssetType.Image, "two-bb22.jpg"), Token);
        await assets.CreateAssetAsync(new NewLikenessAsset(first.Id, AssetType.Voice, "voice-cc33.mp3", VoiceSampleUrl: "sample-dd44.mp3"), Token);
        var b1 = await assets.CreateAssetAsync(new NewLikenessAsset(second.Id, AssetType.Image, "three-ee55.jpg"), Token);
        await assets.CreateAssetAsync(new NewLikenessAsset(second.Id, AssetType.Image, "deleted-ff66.jpg"), Token);
        foreach (var servable in new[] { "one-aa11.jpg", "two-bb22.jpg", "three-ee55.jpg" })
        {
            await TestMedia.SetAsync(db.DataSource, servable);
        }
        await TestMedia.SetAsync(db.DataSource, "deleted-ff66.jpg", MediaStatus.SoftDelete);

        var images = await reads.GetImageAssetsAsync([first.Id, second.Id, none.Id], Token);

        Assert.HasCount(2, images);
        CollectionAssert.AreEqual(new[] { new ImageAssetRef(a1.Id, "one-aa11.jpg"), new ImageAssetRef(a2.Id, "two-bb22.jpg") }, images[first.Id].ToArray());
        CollectionAssert.AreEqual(new[] { new ImageAssetRef(b1.Id, "three-ee55.jpg") }, images[second.Id].ToArray());
    }

    [TestMethod]
    public async Task ServableVoiceSamplesAreReadOnlyUnderAnApprovedVoiceOverTerm()
    {
        var assets = new LikenessAssetsAccess(db.DataSource);
        var terms = new IpTermsAccess(db.DataSource);
        async Task<(Account Account, LikenessAsset Sampled)> VoiceAccountAsync(IpTermType type, IpTermStatus status)
        {
            var account = await TestData.CreateAccountAsync(db.DataSource);
            await terms.CreateIpTermAsync(account.Id, type, status, Token);
            await assets.CreateAssetAsync(new NewLikenessAsset(account.Id, AssetType.Voice, "unrendered-aa11.mp3"), Token);
            return (account, await assets.CreateAssetAsync(new NewLikenessAsset(account.Id, AssetType.Voice, "voice-bb22.mp3", VoiceSampleUrl: "sample-cc33.mp3"), Token));
        }
        var approved = await VoiceAccountAsync(IpTermType.VoiceOver, IpTermStatus.Approved);
        var revoked = await VoiceAccountAsync(IpTermType.VoiceOver, IpTermStatus.Revoked);
        var likenessOnly = await VoiceAccountAsync(IpTermType.Likeness, IpTermStatus.Approved);
        var uploading = await VoiceAccountAsync(IpTermType.VoiceOver, IpTermStatus.Approved);
        await TestMedia.SetAsync(db.DataSource, "sample-cc33.mp3");
        await new LikenessAssetsAccess(db.DataSource).CreateAssetAsync(
            new NewLikenessAsset(uploading.Account.Id, AssetType.Voice, "voice-dd44.mp3", VoiceSampleUrl: "sample-ee55.mp3"), Token);
        await TestMedia.SetAsync(db.DataSource, "sample-ee55.mp3", MediaStatus.Uploading);

        var samples = await reads.GetVoiceSamplesAsync([approved.Account.Id, revoked.Account.Id, likenessOnly.Account.Id, uploading.Account.Id], Token);

        Assert.HasCount(2, samples);
        CollectionAssert.AreEqual(new[] { new VoiceAssetRef(uploading.Sampled.Id, "sample-cc33.mp3") }, samples[uploading.Account.Id].ToArray());
        CollectionAssert.AreEqual(new[] { new VoiceAssetRef(approved.Sampled.Id, "sample-cc33.mp3") }, samples[approved.Account.Id].ToArray());
    }
}
