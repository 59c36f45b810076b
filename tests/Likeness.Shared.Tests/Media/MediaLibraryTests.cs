using Azure;
using Azure.Storage.Blobs;
using Likeness.Shared.Data;
using Likeness.Shared.Media;
using Likeness.Testing;

namespace Likeness.Shared.Tests.Media;

/// <summary>Against the local PostgreSQL and Azurite; the class owns a database and an upload container.</summary>
[TestClass]
public sealed class MediaLibraryTests
{
    private static readonly BinaryData Png = BinaryData.FromBytes([0x89, 0x50, 0x4E, 0x47, 1, 2, 3, 4]);

    private static TestDatabase db = null!;
    private static MediaAccess media = null!;
    private static BlobContainerClient uploads = null!;
    private static MediaLibrary library = null!;

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Token => TestContext.CancellationToken;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext _)
    {
        db = await TestDatabase.CreateAsync();
        media = new MediaAccess(db.DataSource);
        uploads = TestStorage.NewContainer();
        library = new MediaLibrary(media, uploads);
    }

    [ClassCleanup]
    public static async Task CleanupAsync()
    {
        await uploads.DeleteIfExistsAsync();
        await db.DisposeAsync();
    }

    [TestMethod]
    public async Task UploadedFileIsCompleteAndReadsBackWithItsBytesAndContentType()
    {
        var file = await library.UploadAsync("Head Shot.PNG", "image/png", Png, Token);

        Assert.AreEqual(MediaStatus.Complete, file.Status);
        Assert.AreEqual(MediaStatus.Complete, (await media.GetMediaByFilenameAsync(file.Filename, Token))!.Status);
        Assert.AreEqual((uploads.Name, file.Filename), (file.S3Bucket, file.S3Key));
        Assert.AreEqual("image/png", (await library.BlobOf(file)!.GetPropertiesAsync(cancellationToken: Token)).Value.ContentType);
        var read = await library.ReadAsync(file.Filename, Token);
        Assert.IsNotNull(read);
        CollectionAssert.AreEqual(Png.ToArray(), read.Value.Content.ToArray());
        Assert.AreEqual("image/png", read.Value.ContentType);
    }

    [TestMethod]
    public async Task UploadCreatesTheUploadContainerWhenItIsMissing()
    {
        var container = TestStorage.NewContainer();
        try
        {
            var file = await new MediaLibrary(media, container).UploadAsync("voice.wav", "audio/wav", Png, Token);

            Assert.IsTrue((await container.GetBlobClient(file.S3Key).ExistsAsync(Token)).Value);
        }
        finally
        {
            await container.DeleteIfExistsAsync(cancellationToken: Token);
        }
    }

    [TestMethod]
    public async Task UnknownOrUnfinishedFilesReadAsNull()
    {
        var uploading = await media.CreateMediaAsync(TestData.NewPhoto() with { S3Bucket = uploads.Name }, Token);

        Assert.IsNull(await library.ReadAsync(MediaFilename.Create("unknown.png"), Token));
        Assert.IsNull(await library.ReadAsync(uploading.Filename, Token));
    }

    [TestMethod]
    public async Task CompleteFileWhoseBlobOrContainerIsGoneReadsAsNull()
    {
        var missingBlob = await media.CreateMediaAsync(TestData.NewPhoto() with { S3Bucket = uploads.Name, Status = MediaStatus.Complete }, Token);
        var missingContainer = await media.CreateMediaAsync(
            TestData.NewPhoto() with { S3Bucket = TestStorage.NewContainer().Name, Status = MediaStatus.Complete }, Token);
        await uploads.CreateIfNotExistsAsync(cancellationToken: Token);

        Assert.IsNull(await library.ReadAsync(missingBlob.Filename, Token));
        Assert.IsNull(await library.ReadAsync(missingContainer.Filename, Token));
    }

    [TestMethod]
    public async Task FileWhoseRowNamesAnotherContainerIsNeverRead()
    {
        var elsewhere = TestStorage.NewContainer();
        try
        {
            await elsewhere.CreateAsync(cancellationToken: Token);
            await elsewhere.UploadBlobAsync("older/photo.png", Png, Token);
            var file = await media.CreateMediaAsync(
                TestData.NewPhoto() with { S3Bucket = elsewhere.Name, S3Key = "older/photo.png", Status = MediaStatus.Complete }, Token);

            var read = await library.ReadAsync(file.Filename, Token);

            Assert.IsNull(library.BlobOf(file));
            Assert.IsNull(read, "rows are data: only the media container is ever read");
        }
        finally
        {
            await elsewhere.DeleteIfExistsAsync(cancellationToken: Token);
        }
    }

    [TestMethod]
    public async Task FileLargerThanTheModelsTakeIsRefused()
    {
        var file = await library.UploadAsync("long.wav", "audio/wav", BinaryData.FromBytes(new byte[MediaLibrary.MaxReadBytes + 1]), Token);

        await Assert.ThrowsExactlyAsync<InvalidDataException>(() => library.ReadAsync(file.Filename, Token));
    }

    [TestMethod]
    public async Task StorageFailuresOtherThanAMissingBlobAreNotHidden()
    {
        var unreachable = new BlobServiceClient(new Uri("http://127.0.0.1:9/devstoreaccount1"), new BlobClientOptions { Retry = { MaxRetries = 0 } });
        var file = await media.CreateMediaAsync(TestData.NewPhoto() with { S3Bucket = uploads.Name, Status = MediaStatus.Complete }, Token);

        await Assert.ThrowsAsync<RequestFailedException>(
            () => new MediaLibrary(media, unreachable.GetBlobContainerClient(uploads.Name)).ReadAsync(file.Filename, Token));
    }
}
