using System.Net;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Likeness.Shared.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Likeness.Shared.Tests.Storage;

/// <summary>Against the local Azurite (<c>infra/local/dev.sh up</c>); each test owns a fresh container.</summary>
[TestClass]
public sealed class BlobStoreTests
{
    private static readonly string ConnectionString =
        Environment.GetEnvironmentVariable("MediaStorage__ConnectionString") is { Length: > 0 } value ? value : "UseDevelopmentStorage=true";

    private static readonly BlobStore Store = BlobStore.FromConnectionString(ConnectionString);

    private string container = null!;

    [TestInitialize]
    public async Task CreateContainerAsync()
    {
        container = "test-" + Guid.NewGuid().ToString("N");
        Assert.IsTrue(await Store.CreateContainerIfNotExistsAsync(container));
    }

    [TestCleanup]
    public async Task DeleteContainerAsync() => await Store.DeleteContainerIfExistsAsync(container);

    [TestMethod]
    public async Task UploadedBlobReadsBackWithItsBytesContentTypeAndLength()
    {
        var bytes = RandomNumberGenerator.GetBytes(1000);
        using var source = new MemoryStream(bytes);

        // A folder and a space check that the escaped path is also what gets signed.
        var etag = await Store.UploadAsync(container, "photos/a b.png", source, "image/png");
        var properties = await Store.GetPropertiesAsync(container, "photos/a b.png");
        var download = await Store.OpenReadAsync(container, "photos/a b.png");
        await using var content = download.Content!;

        Assert.IsTrue(source.CanRead, "the caller's stream stays open");
        Assert.AreEqual(new BlobProperties(1000, "image/png", etag, properties!.LastModified), properties);
        Assert.AreEqual(download with { Content = null }, new BlobDownload(200, null, 1000, null, "image/png", etag, properties.LastModified));
        CollectionAssert.AreEqual(bytes, await ReadAllAsync(content));
    }

    [TestMethod]
    public async Task UploadReplacesTheBlobAndReturnsItsNewETag()
    {
        var first = await Store.UploadAsync(container, "a.txt", new MemoryStream("one"u8.ToArray()), "text/plain");
        var second = await Store.UploadAsync(container, "a.txt", new MemoryStream("second"u8.ToArray()), "text/plain");

        var properties = await Store.GetPropertiesAsync(container, "a.txt");

        Assert.AreNotEqual(first, second);
        Assert.AreEqual(second, properties!.ETag);
        Assert.AreEqual(6, properties.ContentLength);
    }

    [TestMethod]
    public async Task PropertiesOfAMissingBlobOrContainerAreNull()
    {
        Assert.IsNull(await Store.GetPropertiesAsync(container, "missing.png"));
        Assert.IsNull(await Store.GetPropertiesAsync("no-such-" + container[5..], "missing.png"));
    }

    [TestMethod]
    public async Task MissingBlobOpensAs404WithoutContent()
    {
        var download = await Store.OpenReadAsync(container, "missing.png");

        Assert.AreEqual(404, download.Status);
        Assert.IsNull(download.Content);
    }

    [TestMethod]
    public async Task RangeRequestReturnsTheExactSliceWithContentRange()
    {
        var bytes = await UploadRandomAsync("range.bin", 100);

        var download = await Store.OpenReadAsync(container, "range.bin", new HttpRange(10, 20));
        await using var content = download.Content!;

        Assert.AreEqual(206, download.Status);
        Assert.AreEqual(20, download.ContentLength);
        Assert.AreEqual("bytes 10-29/100", download.ContentRange);
        CollectionAssert.AreEqual(bytes[10..30], await ReadAllAsync(content));
    }

    [TestMethod]
    public async Task OpenEndedRangeReadsToTheEnd()
    {
        var bytes = await UploadRandomAsync("range.bin", 100);

        var download = await Store.OpenReadAsync(container, "range.bin", new HttpRange(90));
        await using var content = download.Content!;

        Assert.AreEqual(206, download.Status);
        Assert.AreEqual("bytes 90-99/100", download.ContentRange);
        CollectionAssert.AreEqual(bytes[90..], await ReadAllAsync(content));
    }

    [TestMethod]
    public async Task RangeBeyondTheBlobIs416WithoutContent()
    {
        await UploadRandomAsync("range.bin", 100);

        var download = await Store.OpenReadAsync(container, "range.bin", new HttpRange(500, 10));

        Assert.AreEqual(416, download.Status);
        Assert.IsNull(download.Content);
    }

    [TestMethod]
    public async Task IfNoneMatchWithTheCurrentETagIs304AndWithAnOldOneIs200()
    {
        var etag = await Store.UploadAsync(container, "cached.png", new MemoryStream([1, 2, 3]), "image/png");

        var notModified = await Store.OpenReadAsync(container, "cached.png", ifNoneMatch: etag);
        var changed = await Store.OpenReadAsync(container, "cached.png", ifNoneMatch: "\"0x8D0000000000000\"");
        await using var content = changed.Content!;

        Assert.AreEqual(304, notModified.Status);
        Assert.IsNull(notModified.Content);
        Assert.AreEqual(200, changed.Status);
    }

    [TestMethod]
    public async Task FiveMegabyteBlobStreamsThroughTheLiveResponseStream()
    {
        const int size = 5 * 1024 * 1024;
        var bytes = await UploadRandomAsync("large.bin", size);

        var download = await Store.OpenReadAsync(container, "large.bin");
        await using var content = download.Content!;

        // A buffered body would be a seekable MemoryStream holding all 5 MB.
        Assert.IsNotInstanceOfType<MemoryStream>(content);
        Assert.IsFalse(content.CanSeek);
        Assert.AreEqual(size, download.ContentLength);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunk = new byte[8 * 1024];
        long total = 0;
        int read;
        while ((read = await content.ReadAsync(chunk)) > 0)
        {
            hash.AppendData(chunk, 0, read);
            total += read;
        }
        Assert.AreEqual(size, total);
        CollectionAssert.AreEqual(SHA256.HashData(bytes), hash.GetHashAndReset());
    }

    [TestMethod]
    public async Task DeletingABlobTwiceReportsWhetherItExisted()
    {
        await UploadRandomAsync("gone.bin", 10);

        Assert.IsTrue(await Store.DeleteIfExistsAsync(container, "gone.bin"));
        Assert.IsFalse(await Store.DeleteIfExistsAsync(container, "gone.bin"));
        Assert.IsNull(await Store.GetPropertiesAsync(container, "gone.bin"));
    }

    [TestMethod]
    public async Task CreatingAnExistingContainerReportsFalse()
    {
        Assert.IsFalse(await Store.CreateContainerIfNotExistsAsync(container));
    }

    [TestMethod]
    public async Task UploadingIntoAMissingContainerThrowsWithTheStorageErrorCode()
    {
        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(
            () => Store.UploadAsync("no-such-" + container[5..], "a.png", new MemoryStream([1]), "image/png"));

        Assert.AreEqual(404, error.Status);
        Assert.AreEqual("ContainerNotFound", error.ErrorCode);
    }

    [TestMethod]
    public async Task AzuriteRejectsASignatureMadeWithTheWrongKey()
    {
        var endpoint = StorageConnectionString.Parse(ConnectionString).BlobEndpoint;
        var impostor = BlobStore.FromConnectionString(
            $"AccountName={StorageConnectionString.DevelopmentAccountName};AccountKey={Convert.ToBase64String(RandomNumberGenerator.GetBytes(64))};BlobEndpoint={endpoint}");

        await Store.UploadAsync(container, "a.png", new MemoryStream([1]), "image/png");

        // Open is the one call whose error body arrives unbuffered.
        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => impostor.OpenReadAsync(container, "a.png"));

        Assert.AreEqual(403, error.Status);
        Assert.AreEqual("AuthorizationFailure", error.ErrorCode);
        Assert.StartsWith("Server failed to authenticate the request.", error.Message);
    }

    [TestMethod]
    public async Task NonSeekableContentIsRejectedBeforeAnythingIsSent()
    {
        await using var pipe = new System.IO.Pipes.AnonymousPipeServerStream();

        var error = await Assert.ThrowsExactlyAsync<ArgumentException>(() => Store.UploadAsync(container, "a.bin", pipe, "application/octet-stream"));

        Assert.AreEqual("content", error.ParamName);
    }

    private async Task<byte[]> UploadRandomAsync(string blobName, int length)
    {
        var bytes = RandomNumberGenerator.GetBytes(length);
        await Store.UploadAsync(container, blobName, new MemoryStream(bytes), "application/octet-stream");
        return bytes;
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}

/// <summary>Connection strings, request signing and configuration; no storage service needed.</summary>
[TestClass]
public sealed class BlobStoreSetupTests
{
    [TestMethod]
    public void DevelopmentStorageMeansAzuritesWellKnownAccount()
    {
        var parsed = StorageConnectionString.Parse("UseDevelopmentStorage=true");

        Assert.AreEqual("devstoreaccount1", parsed.AccountName);
        Assert.AreEqual(new Uri("http://127.0.0.1:10000/devstoreaccount1"), parsed.BlobEndpoint);
        CollectionAssert.AreEqual(Convert.FromBase64String(StorageConnectionString.DevelopmentAccountKey), parsed.AccountKey);
    }

    [TestMethod]
    [DataRow("DefaultEndpointsProtocol=http;AccountName=acct;AccountKey=a2V5;BlobEndpoint=http://10.0.0.5:10000/acct;", "http://10.0.0.5:10000/acct")]
    [DataRow("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5;EndpointSuffix=core.windows.net", "https://acct.blob.core.windows.net/")]
    [DataRow("accountname=acct; accountkey=a2V5 ;endpointsuffix=core.chinacloudapi.cn;QueueEndpoint=https://q", "https://acct.blob.core.chinacloudapi.cn/")]
    public void FullConnectionStringGivesAccountKeyAndBlobEndpoint(string connectionString, string blobEndpoint)
    {
        var parsed = StorageConnectionString.Parse(connectionString);

        Assert.AreEqual("acct", parsed.AccountName);
        CollectionAssert.AreEqual("key"u8.ToArray(), parsed.AccountKey);
        Assert.AreEqual(new Uri(blobEndpoint), parsed.BlobEndpoint);
    }

    [TestMethod]
    [DataRow("just some text", "every setting is Name=Value")]
    [DataRow("AccountName=acct", "AccountKey is missing")]
    [DataRow("AccountKey=a2V5", "AccountName is missing")]
    [DataRow("AccountName=acct;AccountKey=not base64!", "AccountKey is not base64")]
    [DataRow("AccountName=acct;AccountName=other;AccountKey=a2V5", "AccountName appears more than once")]
    [DataRow("AccountName=acct;AccountKey=a2V5;BlobEndpoint=/relative", "BlobEndpoint is not an absolute http(s) URI")]
    [DataRow("AccountName=acct;AccountKey=a2V5;DefaultEndpointsProtocol=ftp", "DefaultEndpointsProtocol is http or https")]
    [DataRow("UseDevelopmentStorage=true;AccountName=acct", "UseDevelopmentStorage=true stands alone")]
    [DataRow("BlobEndpoint=https://acct.blob.core.windows.net;SharedAccessSignature=sv=2025-01-05&sig=abc", "SAS connection strings are not supported")]
    public void MalformedConnectionStringIsRejectedSayingWhy(string connectionString, string reason)
    {
        var error = Assert.ThrowsExactly<FormatException>(() => StorageConnectionString.Parse(connectionString));

        Assert.StartsWith("The storage connection string is malformed: " + reason, error.Message);
    }

    [TestMethod]
    public void StringToSignFollowsTheDocumentedLayout()
    {
        // The request from the example in Microsoft's "Authorize with Shared Key".
        var message = NewMessage(RequestMethod.Get, "https://myaccount.blob.core.windows.net/mycontainer?restype=container&comp=metadata&timeout=20");
        message.Request.Headers.Add("x-ms-date", "Sun, 11 Oct 2009 21:49:13 GMT");
        message.Request.Headers.Add("x-ms-version", "2009-09-19");

        var stringToSign = StorageSharedKeyPolicy.StringToSign(message.Request, "myaccount");

        Assert.AreEqual(
            "GET\n" + string.Concat(Enumerable.Repeat("\n", 11))
            + "x-ms-date:Sun, 11 Oct 2009 21:49:13 GMT\nx-ms-version:2009-09-19\n"
            + "/myaccount/mycontainer\ncomp:metadata\nrestype:container\ntimeout:20",
            stringToSign);
    }

    [TestMethod]
    public void StringToSignPlacesStandardHeadersSortsXmsHeadersAndMergesRepeatedParameters()
    {
        var message = NewMessage(RequestMethod.Put, "http://127.0.0.1:10000/devstoreaccount1/media/a%20b.png?include=snapshots&Include=metadata&comp=list");
        message.Request.Content = RequestContent.Create("hello world"u8.ToArray());
        message.Request.Headers.Add("Content-Type", "image/png");
        message.Request.Headers.Add("If-None-Match", "\"0x1\"");
        message.Request.Headers.Add("Range", "bytes=0-9");
        message.Request.Headers.Add("X-MS-Version", " 2025-01-05 ");
        message.Request.Headers.Add("x-ms-blob-type", "BlockBlob");
        message.Request.Headers.Add("x-ms-date", "Tue, 01 Jul 2025 10:00:00 GMT");

        var stringToSign = StorageSharedKeyPolicy.StringToSign(message.Request, "devstoreaccount1");

        string[] expected =
        [
            "PUT",
            "", // Content-Encoding
            "", // Content-Language
            "11", // Content-Length
            "", // Content-MD5
            "image/png", // Content-Type
            "", // Date
            "", // If-Modified-Since
            "", // If-Match
            "\"0x1\"", // If-None-Match
            "", // If-Unmodified-Since
            "bytes=0-9", // Range
            "x-ms-blob-type:BlockBlob",
            "x-ms-date:Tue, 01 Jul 2025 10:00:00 GMT",
            "x-ms-version:2025-01-05",
            // Azurite's path-style URL: the account appears twice.
            "/devstoreaccount1/devstoreaccount1/media/a%20b.png",
            "comp:list",
            "include:metadata,snapshots",
        ];
        Assert.AreEqual(string.Join('\n', expected), stringToSign);
    }

    [TestMethod]
    public void PolicySignsWithHmacSha256OfTheStringToSignUnderTheAccountKey()
    {
        var key = RandomNumberGenerator.GetBytes(64);
        var message = NewMessage(RequestMethod.Head, "https://acct.blob.core.windows.net/media/a.png");
        message.Request.Headers.Add("x-ms-version", BlobStore.ServiceVersion);

        new StorageSharedKeyPolicy("acct", key).OnSendingRequest(message);

        Assert.IsTrue(message.Request.Headers.TryGetValue("x-ms-date", out var date));
        Assert.IsTrue(DateTimeOffset.UtcNow - DateTimeOffset.Parse(date, System.Globalization.CultureInfo.InvariantCulture) < TimeSpan.FromMinutes(1));
        var expected = "HEAD\n" + string.Concat(Enumerable.Repeat("\n", 11))
            + $"x-ms-date:{date}\nx-ms-version:{BlobStore.ServiceVersion}\n/acct/media/a.png";
        var signature = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(expected)));
        Assert.IsTrue(message.Request.Headers.TryGetValue("Authorization", out var authorization));
        Assert.AreEqual($"SharedKey acct:{signature}", authorization);
    }

    [TestMethod]
    public async Task CredentialPathSendsTheStorageBearerToken()
    {
        var handler = new RecordingHandler();
        var credential = new FixedTokenCredential("token-123");
        var store = BlobStore.FromCredential(
            new Uri("https://acct.blob.core.windows.net"), credential,
            new BlobStoreClientOptions { Transport = new HttpClientTransport(handler) });

        Assert.IsNull(await store.GetPropertiesAsync("media", "a.png"));

        var request = handler.Requests.Single();
        Assert.AreEqual("Bearer token-123", request.Headers.Authorization?.ToString());
        Assert.AreEqual(new Uri("https://acct.blob.core.windows.net/media/a.png"), request.RequestUri);
        Assert.AreEqual(BlobStore.ServiceVersion, request.Headers.GetValues("x-ms-version").Single());
        CollectionAssert.AreEqual(new[] { "https://storage.azure.com/.default" }, credential.Scopes);
    }

    [TestMethod]
    public void CredentialPathRefusesPlainHttp()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(
            () => BlobStore.FromCredential(new Uri("http://acct.blob.core.windows.net"), new FixedTokenCredential("t")));

        Assert.AreEqual("serviceUri", error.ParamName);
    }

    [TestMethod]
    public void AddBlobStorageWithoutSettingsExplainsWhatToSet()
    {
        using var services = new ServiceCollection().AddBlobStorage(Configuration()).BuildServiceProvider();

        var error = Assert.ThrowsExactly<InvalidOperationException>(() => services.GetRequiredService<BlobStore>());

        Assert.Contains("MediaStorage__ConnectionString", error.Message);
        Assert.Contains("MediaStorage__ServiceUri", error.Message);
    }

    [TestMethod]
    public void AddBlobStorageUsesTheConnectionStringAndDefaultsTheContainerToMedia()
    {
        using var services = new ServiceCollection()
            .AddBlobStorage(Configuration(("MediaStorage:ConnectionString", "UseDevelopmentStorage=true")))
            .BuildServiceProvider();

        Assert.AreEqual(new Uri("http://127.0.0.1:10000/devstoreaccount1"), services.GetRequiredService<BlobStore>().ServiceUri);
        Assert.AreEqual("media", services.GetRequiredService<IOptions<BlobStorageOptions>>().Value.Container);
    }

    [TestMethod]
    public void AddBlobStorageUsesAManagedIdentityForAServiceUri()
    {
        using var services = new ServiceCollection()
            .AddBlobStorage(Configuration(
                ("MediaStorage:ServiceUri", "https://acct.blob.core.windows.net"),
                ("MediaStorage:ClientId", "00000000-0000-0000-0000-000000000001"),
                ("MediaStorage:Container", "uploads")))
            .BuildServiceProvider();

        Assert.AreEqual(new Uri("https://acct.blob.core.windows.net"), services.GetRequiredService<BlobStore>().ServiceUri);
        Assert.AreEqual("uploads", services.GetRequiredService<IOptions<BlobStorageOptions>>().Value.Container);
    }

    private static HttpMessage NewMessage(RequestMethod method, string uri)
    {
        var message = new HttpPipeline(HttpClientTransport.Shared).CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(new Uri(uri));
        return message;
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build();

    private sealed class FixedTokenCredential(string token) : TokenCredential
    {
        public string[] Scopes { get; private set; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes = requestContext.Scopes;
            return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    /// <summary>Answers every request with 404, as Azure does for a missing blob.</summary>
    private sealed class RecordingHandler : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
        }
    }
}
