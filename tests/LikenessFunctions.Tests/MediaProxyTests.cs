using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Likeness.Shared.Data;
using Likeness.Shared.Media;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Likeness.Testing;

namespace LikenessFunctions.Tests;

/// <summary><c>GET|HEAD /api/media/{filename}</c> against the real app, PostgreSQL and Azurite; each test uploads its own files.</summary>
[TestClass]
public sealed class MediaProxyTests
{
    private const string CacheControl = "public, max-age=120";
    private static readonly BlobContainerClient Container = TestStorage.NewContainer();
    private static TestDatabase db = null!;
    private static AppProcess app = null!;
    private static MediaLibrary library = null!;
    private static MediaAccess media = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        db = await TestDatabase.CreateAsync();
        app = await AppProcess.StartAsync(db.ConnectionString, new Dictionary<string, string>
        {
            ["MediaStorage__Container"] = Container.Name,
            ["MediaProxy__MaxAgeSeconds"] = "120",
        });
        media = new MediaAccess(db.DataSource);
        library = new MediaLibrary(media, Container);
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        await app.DisposeAsync();
        await db.DisposeAsync();
        await Container.DeleteIfExistsAsync();
    }

    [TestMethod]
    public async Task CompleteFileIsServedWholeWithItsStoredTypeAndCachingHeaders()
    {
        var bytes = RandomNumberGenerator.GetBytes(1000);
        var file = await library.UploadAsync("Portrait.PNG", "image/png", BinaryData.FromBytes(bytes), CancellationToken.None);
        BlobProperties blob = await Container.GetBlobClient(file.S3Key).GetPropertiesAsync();

        using var response = await app.Client.GetAsync($"/api/media/{file.Filename}");

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, app.Output);
        CollectionAssert.AreEqual(bytes, await response.Content.ReadAsByteArrayAsync());
        Assert.AreEqual("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.AreEqual(1000, response.Content.Headers.ContentLength);
        Assert.AreEqual(blob.ETag.ToString("H"), response.Headers.ETag?.ToString());
        Assert.AreEqual(blob.LastModified, response.Content.Headers.LastModified);
        Assert.AreEqual(CacheControl, response.Headers.CacheControl?.ToString());
        Assert.AreEqual("bytes", string.Join(",", response.Headers.AcceptRanges));
        Assert.AreEqual("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [TestMethod]
    public async Task HeadGivesTheSameHeadersWithoutContent()
    {
        var file = await UploadAsync(1234, "audio/wav");

        using var get = await app.Client.GetAsync($"/api/media/{file.Filename}");
        using var head = await app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/media/{file.Filename}"));

        Assert.AreEqual(HttpStatusCode.OK, head.StatusCode, app.Output);
        Assert.AreEqual(1234, head.Content.Headers.ContentLength);
        Assert.AreEqual("audio/wav", head.Content.Headers.ContentType?.MediaType);
        Assert.AreEqual(get.Headers.ETag, head.Headers.ETag);
        Assert.AreEqual(get.Content.Headers.LastModified, head.Content.Headers.LastModified);
        Assert.AreEqual(get.Headers.CacheControl, head.Headers.CacheControl);
        Assert.AreEqual("bytes", string.Join(",", head.Headers.AcceptRanges));
        Assert.IsEmpty(await head.Content.ReadAsByteArrayAsync());
    }

    [TestMethod]
    [DataRow("bytes=0-99", 0, 99, DisplayName = "first bytes")]
    [DataRow("bytes=400-599", 400, 599, DisplayName = "middle")]
    [DataRow("bytes=900-", 900, 999, DisplayName = "open end")]
    [DataRow("bytes=990-5000", 990, 999, DisplayName = "end past the file")]
    [DataRow("bytes=-100", 900, 999, DisplayName = "suffix")]
    [DataRow("bytes=-5000", 0, 999, DisplayName = "suffix longer than the file")]
    [DataRow("bytes=999-999", 999, 999, DisplayName = "last byte")]
    public async Task RangeIsServedAsPartialContentWithItsContentRange(string range, int first, int last)
    {
        var bytes = RandomNumberGenerator.GetBytes(1000);
        var file = await library.UploadAsync("clip.bin", "application/octet-stream", BinaryData.FromBytes(bytes), CancellationToken.None);

        using var response = await GetAsync(file.Filename, request => request.Headers.TryAddWithoutValidation("Range", range));

        Assert.AreEqual(HttpStatusCode.PartialContent, response.StatusCode, app.Output);
        Assert.AreEqual($"bytes {first}-{last}/1000", response.Content.Headers.ContentRange?.ToString());
        Assert.AreEqual(last - first + 1, response.Content.Headers.ContentLength);
        CollectionAssert.AreEqual(bytes[first..(last + 1)], await response.Content.ReadAsByteArrayAsync());
        Assert.AreEqual("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.AreEqual(CacheControl, response.Headers.CacheControl?.ToString());
    }

    [TestMethod]
    [DataRow("bytes=1000-")]
    [DataRow("bytes=5000-6000")]
    [DataRow("bytes=-0")]
    public async Task UnsatisfiableRangeIs416NamingTheLength(string range)
    {
        var file = await UploadAsync(1000, "image/jpeg");

        using var response = await GetAsync(file.Filename, request => request.Headers.TryAddWithoutValidation("Range", range));

        Assert.AreEqual(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode, app.Output);
        Assert.AreEqual("bytes */1000", response.Content.Headers.ContentRange?.ToString());
        Assert.IsEmpty(await response.Content.ReadAsByteArrayAsync());
    }

    [TestMethod]
    [DataRow("bytes=abc", DisplayName = "malformed")]
    [DataRow("bytes=0-9,20-29", DisplayName = "several ranges")]
    [DataRow("lines=0-9", DisplayName = "other unit")]
    [DataRow("bytes=9-2", DisplayName = "end before start")]
    public async Task RangeThatCannotBeHonouredIsIgnoredAndTheWholeFileServed(string range)
    {
        var bytes = RandomNumberGenerator.GetBytes(300);
        var file = await library.UploadAsync("still.jpg", "image/jpeg", BinaryData.FromBytes(bytes), CancellationToken.None);

        using var response = await GetAsync(file.Filename, request => request.Headers.TryAddWithoutValidation("Range", range));

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, app.Output);
        CollectionAssert.AreEqual(bytes, await response.Content.ReadAsByteArrayAsync());
    }

    [TestMethod]
    public async Task MatchingIfNoneMatchIs304WithTheETagAndNoContent()
    {
        var file = await UploadAsync(500, "image/png");
        using var first = await app.Client.GetAsync($"/api/media/{file.Filename}");
        var etag = first.Headers.ETag!;

        using var revalidated = await GetAsync(file.Filename, request => request.Headers.IfNoneMatch.Add(etag));
        using var revalidatedHead = await SendAsync(HttpMethod.Head, file.Filename, request => request.Headers.IfNoneMatch.Add(etag));
        using var stale = await GetAsync(file.Filename, request => request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"0x8D000000000000\"")));

        Assert.AreEqual(HttpStatusCode.NotModified, revalidated.StatusCode, app.Output);
        Assert.AreEqual(etag, revalidated.Headers.ETag);
        Assert.AreEqual(CacheControl, revalidated.Headers.CacheControl?.ToString());
        Assert.IsEmpty(await revalidated.Content.ReadAsByteArrayAsync());
        Assert.AreEqual(HttpStatusCode.NotModified, revalidatedHead.StatusCode);
        Assert.AreEqual(etag, revalidatedHead.Headers.ETag);
        Assert.AreEqual(HttpStatusCode.OK, stale.StatusCode);
        Assert.AreEqual(500, (await stale.Content.ReadAsByteArrayAsync()).Length);
    }

    [TestMethod]
    public async Task RowNamingABlobOutsideTheMediaContainerIs404AndLogged()
    {
        var elsewhere = TestStorage.NewContainer();
        await elsewhere.CreateAsync();
        try
        {
            await elsewhere.UploadBlobAsync("secret.json", BinaryData.FromString("{\"key\":\"host secret\"}"));
            var row = await media.CreateMediaAsync(new NewMediaFile(
                MediaFilename.Create("secret.json"), "secret.json", "secret.json", elsewhere.Name, null, "image/png", MediaStatus.Complete));

            using var get = await app.Client.GetAsync($"/api/media/{row.Filename}");
            using var head = await SendAsync(HttpMethod.Head, row.Filename);

            await AssertProblemAsync(get, HttpStatusCode.NotFound);
            Assert.AreEqual(HttpStatusCode.NotFound, head.StatusCode);
            StringAssert.Contains(app.Output, $"Media {row.Filename} refused");
        }
        finally
        {
            await elsewhere.DeleteIfExistsAsync();
        }
    }

    [TestMethod]
    [DataRow("../other/photo.png", DisplayName = "parent segment")]
    [DataRow("a/../../photo.png", DisplayName = "inner parent segment")]
    [DataRow("/photo.png", DisplayName = "leading slash")]
    [DataRow("a\\photo.png", DisplayName = "backslash")]
    [DataRow("photo\u0001.png", DisplayName = "control character")]
    [DataRow("photo\n.png", DisplayName = "newline")]
    public async Task RowWithAnUnsafeBlobNameIs404AndLogged(string key)
    {
        var filename = MediaFilename.Create("unsafe.png");
        await media.CreateMediaAsync(new NewMediaFile(filename, "unsafe.png", key, Container.Name, null, "image/png", MediaStatus.Complete));

        using var response = await app.Client.GetAsync($"/api/media/{filename}");

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
        StringAssert.Contains(app.Output, $"Media {filename} refused");
    }

    [TestMethod]
    [DataRow("image/png", "image/png", DisplayName = "png")]
    [DataRow("IMAGE/JPEG", "image/jpeg", DisplayName = "upper case jpeg")]
    [DataRow("audio/mpeg; codecs=mp3", "audio/mpeg", DisplayName = "parameters dropped")]
    public async Task ImagesAndAudioAreServedInline(string stored, string served)
    {
        var file = await UploadAsync(64, stored);

        using var response = await app.Client.GetAsync($"/api/media/{file.Filename}");

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, app.Output);
        Assert.AreEqual(served, response.Content.Headers.ContentType?.ToString());
        Assert.IsNull(response.Content.Headers.ContentDisposition);
        AssertSandboxed(response);
    }

    [TestMethod]
    [DataRow("text/html", DisplayName = "html")]
    [DataRow("image/svg+xml", DisplayName = "svg")]
    [DataRow("application/xhtml+xml", DisplayName = "xhtml")]
    [DataRow("text/javascript", DisplayName = "script")]
    [DataRow("not a type", DisplayName = "malformed")]
    [DataRow("image/png\r\nSet-Cookie: a=b", DisplayName = "header injection")]
    public async Task OtherTypesAreServedAsAnOpaqueDownload(string stored)
    {
        var filename = MediaFilename.Create("page.html");
        await Container.CreateIfNotExistsAsync();
        await Container.UploadBlobAsync(filename, BinaryData.FromString("<script>alert(document.cookie)</script>"));
        await media.CreateMediaAsync(new NewMediaFile(filename, "page.html", filename, Container.Name, null, stored, MediaStatus.Complete));

        using var get = await app.Client.GetAsync($"/api/media/{filename}");
        using var head = await SendAsync(HttpMethod.Head, filename);

        foreach (var response in (HttpResponseMessage[])[get, head])
        {
            Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, app.Output);
            Assert.AreEqual("application/octet-stream", response.Content.Headers.ContentType?.ToString());
            Assert.AreEqual("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
            Assert.IsFalse(response.Headers.Contains("Set-Cookie"));
            AssertSandboxed(response);
        }
    }

    [TestMethod]
    public async Task ErrorAnswersAreSandboxedAndNeverStored()
    {
        using var missing = await app.Client.GetAsync("/api/media/never-uploaded-zz98.png");
        var file = await UploadAsync(10, "image/png");
        using var unsatisfiable = await GetAsync(file.Filename, request => request.Headers.TryAddWithoutValidation("Range", "bytes=50-"));

        AssertSandboxed(missing);
        Assert.AreEqual("no-store", missing.Headers.CacheControl?.ToString());
        Assert.AreEqual(HttpStatusCode.RequestedRangeNotSatisfiable, unsatisfiable.StatusCode);
        Assert.AreEqual("no-store", unsatisfiable.Headers.CacheControl?.ToString());
    }

    [TestMethod]
    [DataRow("bytes=0-9223372036854775807", DisplayName = "end at long.MaxValue")]
    [DataRow("bytes=0-9223372036854775806", DisplayName = "end just below")]
    public async Task RangeEndingFarPastTheFileIsCutToIt(string range)
    {
        var bytes = RandomNumberGenerator.GetBytes(100);
        var file = await library.UploadAsync("clip.png", "image/png", BinaryData.FromBytes(bytes), CancellationToken.None);

        using var response = await GetAsync(file.Filename, request => request.Headers.TryAddWithoutValidation("Range", range));

        Assert.AreEqual(HttpStatusCode.PartialContent, response.StatusCode, app.Output);
        Assert.AreEqual("bytes 0-99/100", response.Content.Headers.ContentRange?.ToString());
        CollectionAssert.AreEqual(bytes, await response.Content.ReadAsByteArrayAsync());
    }

    [TestMethod]
    public async Task IfNoneMatchListContainingTheETagIs304()
    {
        var file = await UploadAsync(200, "image/png");
        using var first = await app.Client.GetAsync($"/api/media/{file.Filename}");

        using var response = await GetAsync(file.Filename,
            request => request.Headers.TryAddWithoutValidation("If-None-Match", $"\"0x8D000000000001\", {first.Headers.ETag!.Tag}, W/\"x\""));

        Assert.AreEqual(HttpStatusCode.NotModified, response.StatusCode, app.Output);
        Assert.AreEqual(first.Headers.ETag, response.Headers.ETag);
        Assert.AreEqual(CacheControl, response.Headers.CacheControl?.ToString());
    }

    [TestMethod]
    public async Task IfModifiedSinceIsHonouredUnlessIfNoneMatchIsGiven()
    {
        var file = await UploadAsync(200, "image/png");
        using var first = await app.Client.GetAsync($"/api/media/{file.Filename}");
        var modified = first.Content.Headers.LastModified!.Value;

        using var notModified = await GetAsync(file.Filename, request => request.Headers.IfModifiedSince = modified);
        using var headNotModified = await SendAsync(HttpMethod.Head, file.Filename, request => request.Headers.IfModifiedSince = modified.AddDays(1));
        using var modifiedSince = await GetAsync(file.Filename, request => request.Headers.IfModifiedSince = modified.AddSeconds(-1));
        using var tagWins = await GetAsync(file.Filename, request =>
        {
            request.Headers.IfModifiedSince = modified;
            request.Headers.TryAddWithoutValidation("If-None-Match", "\"0x8D000000000001\"");
        });

        Assert.AreEqual(HttpStatusCode.NotModified, notModified.StatusCode, app.Output);
        Assert.AreEqual(HttpStatusCode.NotModified, headNotModified.StatusCode);
        Assert.AreEqual(HttpStatusCode.OK, modifiedSince.StatusCode);
        Assert.AreEqual(HttpStatusCode.OK, tagWins.StatusCode);
    }

    [TestMethod]
    public async Task RangeIsHonouredOnlyWhenIfRangeMatches()
    {
        var bytes = RandomNumberGenerator.GetBytes(300);
        var file = await library.UploadAsync("clip.png", "image/png", BinaryData.FromBytes(bytes), CancellationToken.None);
        using var first = await app.Client.GetAsync($"/api/media/{file.Filename}");
        var etag = first.Headers.ETag!.Tag;

        using var matching = await RangedAsync(etag);
        using var otherTag = await RangedAsync("\"0x8D000000000001\"");
        using var weakTag = await RangedAsync("W/" + etag);
        using var date = await RangedAsync(first.Content.Headers.LastModified!.Value.ToString("R"));
        using var otherDate = await RangedAsync(first.Content.Headers.LastModified!.Value.AddSeconds(-5).ToString("R"));

        Assert.AreEqual(HttpStatusCode.PartialContent, matching.StatusCode, app.Output);
        CollectionAssert.AreEqual(bytes[..10], await matching.Content.ReadAsByteArrayAsync());
        Assert.AreEqual(HttpStatusCode.PartialContent, date.StatusCode);
        foreach (var whole in (HttpResponseMessage[])[otherTag, weakTag, otherDate])
        {
            Assert.AreEqual(HttpStatusCode.OK, whole.StatusCode);
            CollectionAssert.AreEqual(bytes, await whole.Content.ReadAsByteArrayAsync());
        }

        Task<HttpResponseMessage> RangedAsync(string ifRange) => GetAsync(file.Filename, request =>
        {
            request.Headers.TryAddWithoutValidation("Range", "bytes=0-9");
            request.Headers.TryAddWithoutValidation("If-Range", ifRange);
        });
    }

    [TestMethod]
    public async Task WithdrawnFileIs404AtOnceAndCachesMayKeepItOnlyForTheConfiguredMaxAge()
    {
        var file = await UploadAsync(100, "image/jpeg");
        using var served = await app.Client.GetAsync($"/api/media/{file.Filename}");
        await media.UpdateMediaStatusAsync(file.Id, MediaStatus.SoftDelete);

        using var revalidation = await GetAsync(file.Filename, request => request.Headers.IfNoneMatch.Add(served.Headers.ETag!));

        Assert.AreEqual(TimeSpan.FromSeconds(120), served.Headers.CacheControl?.MaxAge);
        Assert.IsFalse(served.Headers.CacheControl!.Extensions.Any(e => e.Name == "immutable"), "immutable would skip revalidation for a year");
        Assert.AreEqual(HttpStatusCode.NotFound, revalidation.StatusCode, "a cache's revalidation learns of the withdrawal");
        Assert.AreEqual("no-store", revalidation.Headers.CacheControl?.ToString());
    }

    [TestMethod]
    [DataRow("garbage", HttpStatusCode.OK, DisplayName = "unquoted")]
    [DataRow("\"0x8D000000000000\", W/\"0x1\"", HttpStatusCode.OK, DisplayName = "list without a match")]
    [DataRow("*", HttpStatusCode.NotModified, DisplayName = "any")]
    public async Task IfNoneMatchIsComparedOnlyWhenWellFormed(string ifNoneMatch, HttpStatusCode expected)
    {
        var file = await UploadAsync(200, "image/png");

        using var response = await GetAsync(file.Filename, request => request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch));

        Assert.AreEqual(expected, response.StatusCode, app.Output);
    }

    [TestMethod]
    public async Task WeakFormOfTheCurrentETagAlsoRevalidates()
    {
        var file = await UploadAsync(200, "image/png");
        using var first = await app.Client.GetAsync($"/api/media/{file.Filename}");

        using var response = await GetAsync(file.Filename, request => request.Headers.TryAddWithoutValidation("If-None-Match", "W/" + first.Headers.ETag!.Tag));

        Assert.AreEqual(HttpStatusCode.NotModified, response.StatusCode, app.Output);
    }

    [TestMethod]
    [DataRow(MediaStatus.Uploading)]
    [DataRow(MediaStatus.SoftDelete)]
    [DataRow(MediaStatus.Delete)]
    public async Task FileThatIsNotCompleteIs404EvenWithItsBlobPresent(MediaStatus status)
    {
        var file = await UploadAsync(100, "image/png");
        await media.UpdateMediaStatusAsync(file.Id, status);

        using var get = await app.Client.GetAsync($"/api/media/{file.Filename}");
        using var head = await SendAsync(HttpMethod.Head, file.Filename);

        await AssertProblemAsync(get, HttpStatusCode.NotFound);
        Assert.AreEqual(HttpStatusCode.NotFound, head.StatusCode);
        Assert.AreEqual("no-store", get.Headers.CacheControl?.ToString(), "a 404 may become a file later, so no cache keeps it");
        Assert.IsTrue((await Container.GetBlobClient(file.S3Key).ExistsAsync()).Value, "the blob itself is still there");
    }

    [TestMethod]
    public async Task UnknownFileIs404()
    {
        using var response = await app.Client.GetAsync("/api/media/never-uploaded-zz99.png");

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [TestMethod]
    public async Task CompleteFileWhoseBlobIsGoneIs404()
    {
        var file = await UploadAsync(100, "image/png");
        await Container.GetBlobClient(file.S3Key).DeleteIfExistsAsync();

        using var get = await app.Client.GetAsync($"/api/media/{file.Filename}");
        using var head = await SendAsync(HttpMethod.Head, file.Filename);

        await AssertProblemAsync(get, HttpStatusCode.NotFound);
        Assert.AreEqual(HttpStatusCode.NotFound, head.StatusCode);
    }

    [TestMethod]
    [DataRow("..%2F..%2Fetc%2Fpasswd", DisplayName = "encoded traversal")]
    [DataRow("..%2fphoto-ab12.jpg", DisplayName = "lower-case encoded traversal")]
    [DataRow("photos%2Fphoto-ab12.jpg", DisplayName = "encoded slash")]
    [DataRow("photo.jpg", DisplayName = "no suffix")]
    [DataRow("photo-ab1.jpg", DisplayName = "short suffix")]
    [DataRow("PHOTO-AB12.JPG", DisplayName = "upper case")]
    [DataRow("photo-ab12.jpg.", DisplayName = "trailing dot")]
    [DataRow("photo%20x-ab12.jpg", DisplayName = "space")]
    [DataRow("-ab12.jpg", DisplayName = "no base")]
    [DataRow("photo-ab12.thisistoolong", DisplayName = "long extension")]
    public async Task MalformedNameIs404Problem(string name)
    {
        using var response = await app.Client.GetAsync($"/api/media/{name}");

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [TestMethod]
    [DataRow("../../etc/passwd", DisplayName = "plain traversal")]
    [DataRow("photos/photo-ab12.jpg", DisplayName = "nested path")]
    [DataRow("%2e%2e", DisplayName = "encoded dots")]
    [DataRow("", DisplayName = "no name")]
    public async Task PathThatIsNotOneSegmentIs404(string name)
    {
        using var response = await app.Client.GetAsync($"/api/media/{name}");

        Assert.AreEqual(HttpStatusCode.NotFound, response.StatusCode, app.Output);
    }

    [TestMethod]
    public async Task OverLongNameIs404Problem()
    {
        using var response = await app.Client.GetAsync($"/api/media/{new string('a', 2000)}-ab12.png");

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [TestMethod]
    public async Task FiveMegabyteFileStreamsByteForByteWholeAndInRanges()
    {
        var bytes = RandomNumberGenerator.GetBytes(5 * 1024 * 1024);
        var file = await library.UploadAsync("showreel.mp4", "video/mp4", BinaryData.FromBytes(bytes), CancellationToken.None);

        using var whole = await app.Client.GetAsync($"/api/media/{file.Filename}", HttpCompletionOption.ResponseHeadersRead);
        var wholeHash = await SHA256.HashDataAsync(await whole.Content.ReadAsStreamAsync());
        using var middle = await GetAsync(file.Filename, request => request.Headers.Range = new RangeHeaderValue(2_000_000, 3_499_999));
        using var tail = await GetAsync(file.Filename, request => request.Headers.Range = new RangeHeaderValue(null, 1_000_000));

        Assert.AreEqual(HttpStatusCode.OK, whole.StatusCode, app.Output);
        Assert.AreEqual(bytes.Length, whole.Content.Headers.ContentLength);
        CollectionAssert.AreEqual(SHA256.HashData(bytes), wholeHash);
        Assert.AreEqual(HttpStatusCode.PartialContent, middle.StatusCode);
        CollectionAssert.AreEqual(bytes[2_000_000..3_500_000], await middle.Content.ReadAsByteArrayAsync());
        Assert.AreEqual($"bytes {bytes.Length - 1_000_000}-{bytes.Length - 1}/{bytes.Length}", tail.Content.Headers.ContentRange?.ToString());
        CollectionAssert.AreEqual(bytes[^1_000_000..], await tail.Content.ReadAsByteArrayAsync());
    }

    private static Task<MediaFile> UploadAsync(int length, string contentType) =>
        library.UploadAsync("file.bin", contentType, BinaryData.FromBytes(RandomNumberGenerator.GetBytes(length)), CancellationToken.None);

    private static Task<HttpResponseMessage> GetAsync(string filename, Action<HttpRequestMessage> configure) =>
        SendAsync(HttpMethod.Get, filename, configure);

    private static async Task<HttpResponseMessage> SendAsync(HttpMethod method, string filename, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, $"/api/media/{filename}");
        configure?.Invoke(request);
        return await app.Client.SendAsync(request);
    }

    private static void AssertSandboxed(HttpResponseMessage response)
    {
        Assert.AreEqual("default-src 'none'; sandbox", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.AreEqual("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.AreEqual(status, response.StatusCode, app.Output);
        Assert.AreEqual("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.AreEqual((int)status, problem.RootElement.GetProperty("status").GetInt32());
    }
}
