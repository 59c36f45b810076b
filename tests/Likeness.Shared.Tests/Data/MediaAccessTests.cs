using Likeness.Shared.Data;
using Likeness.Testing;

namespace Likeness.Shared.Tests.Data;

[TestClass]
public sealed class MediaAccessTests
{
    private static TestDatabase db = null!;
    private static MediaAccess media = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext _)
    {
        db = await TestDatabase.CreateAsync();
        media = new MediaAccess(db.DataSource);
    }

    [ClassCleanup]
    public static async Task CleanupAsync() => await db.DisposeAsync();

    [TestMethod]
    public async Task CreatedMediaIsUploadingAndReadBackByIdAndByFilename()
    {
        var data = TestData.NewPhoto();

        var created = await media.CreateMediaAsync(data);

        Assert.AreEqual(
            new MediaFile(created.Id, data.Filename, "Photo.JPG", "uploads/2026/photo.jpg", "media", "westeurope", "image/jpeg", MediaStatus.Uploading, created.CreatedAt, created.UpdatedAt),
            created);
        Assert.AreEqual(NanoId.Length, created.Id.Length);
        Assert.AreEqual(created, await media.GetMediaByIdAsync(created.Id));
        Assert.AreEqual(created, await media.GetMediaByFilenameAsync(data.Filename));
    }

    [TestMethod]
    public async Task MediaCanBeCreatedWithAStatusAndWithoutOptionalFields()
    {
        var data = new NewMediaFile(MediaFilename.Create("voice.mp3"), null, "samples/voice.mp3", "media", null, "audio/mpeg", MediaStatus.Complete);

        var created = await media.CreateMediaAsync(data);

        Assert.AreEqual(MediaStatus.Complete, created.Status);
        Assert.IsNull(created.OriginalFilename);
        Assert.IsNull(created.S3Region);
    }

    [TestMethod]
    public async Task ATakenFilenameIsRejectedByTheUniqueIndex()
    {
        var data = TestData.NewPhoto();
        await media.CreateMediaAsync(data);

        var error = await Assert.ThrowsExactlyAsync<Npgsql.PostgresException>(() => media.CreateMediaAsync(data));

        Assert.AreEqual("media_filename_unique", error.ConstraintName);
    }

    [TestMethod]
    public async Task MissingMediaReadsAsNullAndIsNotUpdated()
    {
        Assert.IsNull(await media.GetMediaByIdAsync("no-such-media"));
        Assert.IsNull(await media.GetMediaByFilenameAsync("missing-ab12.jpg"));
        Assert.IsFalse(await media.UpdateMediaStatusAsync("no-such-media", MediaStatus.Complete));
    }

    [TestMethod]
    [DataRow(MediaStatus.Complete)]
    [DataRow(MediaStatus.SoftDelete)]
    [DataRow(MediaStatus.Delete)]
    [DataRow(MediaStatus.Uploading)]
    public async Task UpdatingTheStatusStoresItAndTouchesUpdatedAt(MediaStatus status)
    {
        var created = await media.CreateMediaAsync(TestData.NewPhoto());

        Assert.IsTrue(await media.UpdateMediaStatusAsync(created.Id, status));

        var read = await media.GetMediaByIdAsync(created.Id);
        Assert.AreEqual(created with { Status = status, UpdatedAt = read!.UpdatedAt }, read);
        Assert.IsGreaterThan(created.UpdatedAt, read.UpdatedAt);
    }

    [TestMethod]
    public async Task UndefinedStatusIsRejectedNamingTheArgument()
    {
        var created = await media.CreateMediaAsync(TestData.NewPhoto());

        var onCreate = await Assert.ThrowsExactlyAsync<ArgumentOutOfRangeException>(() => media.CreateMediaAsync(TestData.NewPhoto() with { Status = (MediaStatus)99 }));
        var onUpdate = await Assert.ThrowsExactlyAsync<ArgumentOutOfRangeException>(() => media.UpdateMediaStatusAsync(created.Id, (MediaStatus)99));

        Assert.AreEqual("Status", onCreate.ParamName);
        Assert.AreEqual("status", onUpdate.ParamName);
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("Photo.JPG")]
    [DataRow("../secret-ab12.jpg")]
    [DataRow("photo-ab12.jpg\n")]
    public async Task FilenamesNotMadeByMediaFilenameAreRejected(string? filename)
    {
        var error = await Assert.ThrowsExactlyAsync<ArgumentException>(() => media.CreateMediaAsync(TestData.NewPhoto() with { Filename = filename! }));

        Assert.AreEqual("Filename", error.ParamName);
    }

    [TestMethod]
    [DataRow("S3Key")]
    [DataRow("S3Bucket")]
    [DataRow("ContentType")]
    public async Task BlankBlobCoordinatesOrContentTypeAreRejectedNamingTheField(string field)
    {
        var data = field switch
        {
            "S3Key" => TestData.NewPhoto() with { S3Key = " " },
            "S3Bucket" => TestData.NewPhoto() with { S3Bucket = "" },
            _ => TestData.NewPhoto() with { ContentType = null! },
        };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => media.CreateMediaAsync(data));

        Assert.AreEqual(field, error.ParamName);
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("  ")]
    public async Task BlankIdsAndFilenamesAreRejectedNamingTheArgument(string? blank)
    {
        Assert.AreEqual("id", (await Assert.ThrowsAsync<ArgumentException>(() => media.GetMediaByIdAsync(blank!))).ParamName);
        Assert.AreEqual("filename", (await Assert.ThrowsAsync<ArgumentException>(() => media.GetMediaByFilenameAsync(blank!))).ParamName);
        Assert.AreEqual("id", (await Assert.ThrowsAsync<ArgumentException>(() => media.UpdateMediaStatusAsync(blank!, MediaStatus.Complete))).ParamName);
        Assert.AreEqual("data", (await Assert.ThrowsAsync<ArgumentException>(() => media.CreateMediaAsync(null!))).ParamName);
    }

    [TestMethod]
    public async Task AProfileImageThatStopsBeingServableTakesTheAccountOutOfSearchAndQueuesItForIndexing()
    {
        var file = await media.CreateMediaAsync(TestData.NewPhoto() with { Status = MediaStatus.Complete });
        var account = await TestData.CreateAccountAsync(db.DataSource, imageUrl: file.Filename);
        var bystander = await TestData.CreateAccountAsync(db.DataSource, imageUrl: MediaFilename.Create("other.jpg"));
        foreach (var id in new[] { account.Id, bystander.Id })
        {
            await new LikenessSearchAccess(db.DataSource).UpsertSearchIndexAsync(id, new SearchAttributes { Height = 170 });
            await new LikenessSearchVectorAccess(db.DataSource).VectorUpsertAsync(id, "height: 170", TestData.Axis(0));
        }

        await media.UpdateMediaStatusAsync(file.Id, MediaStatus.SoftDelete);

        Assert.IsNull(await new LikenessSearchAccess(db.DataSource).GetSearchIndexByAccountIdAsync(account.Id));
        Assert.IsNull(await new LikenessSearchVectorAccess(db.DataSource).GetVectorByAccountIdAsync(account.Id));
        Assert.IsNotNull(await new LikenessSearchAccess(db.DataSource).GetSearchIndexByAccountIdAsync(bystander.Id));
        Assert.AreEqual(1L, await PendingEventsAsync(account.Id));
        Assert.AreEqual(0L, await PendingEventsAsync(bystander.Id));
    }

    [TestMethod]
    public async Task AFileThatBecomesServableQueuesEveryAccountShowingItOnceWhileItsEventWaits()
    {
        var file = await media.CreateMediaAsync(TestData.NewPhoto());
        var profile = await TestData.CreateAccountAsync(db.DataSource, imageUrl: file.Filename, imageStatus: MediaStatus.Uploading);
        var asset = await TestData.CreateAccountAsync(db.DataSource);
        await new LikenessAssetsAccess(db.DataSource).CreateAssetAsync(new NewLikenessAsset(asset.Id, AssetType.Image, file.Filename));

        await media.UpdateMediaStatusAsync(file.Id, MediaStatus.Complete);
        await media.UpdateMediaStatusAsync(file.Id, MediaStatus.SoftDelete);
        await media.UpdateMediaStatusAsync(file.Id, MediaStatus.SoftDelete);

        Assert.AreEqual(1L, await PendingEventsAsync(profile.Id));
        Assert.AreEqual(1L, await PendingEventsAsync(asset.Id));
    }

    private async Task<long> PendingEventsAsync(string accountId) =>
        (long)(await db.ScalarAsync("SELECT count(*) FROM likeness_need_indexing_queue WHERE account_id = $1 AND status = 'PENDING'", accountId))!;
}
