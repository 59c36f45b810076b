using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Likeness.Shared.Storage;

/// <summary>
/// The few Blob service REST operations the app needs, on Azure.Core's pipeline (retries with
/// backoff, timeouts, logging, bearer tokens). It stands in for Azure.Storage.Blobs, which this
/// machine's package registry cannot restore. Statuses other than the ones an operation
/// expects throw <see cref="RequestFailedException"/> carrying the storage error code
/// (e.g. <c>ContainerNotFound</c>).
/// </summary>
public sealed class BlobStore
{
    /// <summary>The Blob REST API version sent with every request; Azure and the Azurite that infra/local/dev.sh installs both accept it.</summary>
    public const string ServiceVersion = "2025-01-05";

    private const string StorageScope = "https://storage.azure.com/.default";

    // The network timeout of Put Blob covers sending the whole body: 256 MB at about 1 MB/s.
    private static readonly TimeSpan UploadTimeout = TimeSpan.FromMinutes(5);

    // Expected statuses per operation: anything else is logged as an error and thrown.
    private static readonly StatusCodeClassifier ContainerCreated = new([201, 409]);
    private static readonly StatusCodeClassifier BlobCreated = new([201]);
    private static readonly StatusCodeClassifier PropertiesRead = new([200, 404]);
    private static readonly StatusCodeClassifier ContentRead = new([200, 206, 304, 404, 416]);
    private static readonly StatusCodeClassifier Deleted = new([202, 404]);

    private readonly HttpPipeline pipeline;
    private readonly string serviceRoot;

    private BlobStore(Uri serviceUri, HttpPipelinePolicy authentication, BlobStoreClientOptions? options)
    {
        ServiceUri = serviceUri;
        serviceRoot = serviceUri.AbsoluteUri.TrimEnd('/');
        pipeline = HttpPipelineBuilder.Build(options ?? new BlobStoreClientOptions(), [], [authentication], new ResponseClassifier());
    }

    /// <summary>The blob service root, e.g. <c>https://account.blob.core.windows.net/</c>.</summary>
    public Uri ServiceUri { get; }

    /// <summary>Signs requests with the account key of a connection string (see <see cref="StorageConnectionString"/>).</summary>
    /// <exception cref="FormatException">The connection string is malformed.</exception>
    public static BlobStore FromConnectionString(string connectionString, BlobStoreClientOptions? options = null)
    {
        var parsed = StorageConnectionString.Parse(connectionString);
        return new BlobStore(parsed.BlobEndpoint, new StorageSharedKeyPolicy(parsed.AccountName, parsed.AccountKey), options);
    }

    /// <summary>Authenticates with Entra tokens for Azure Storage, e.g. from a managed identity.</summary>
    public static BlobStore FromCredential(Uri serviceUri, TokenCredential credential, BlobStoreClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(serviceUri);
        ArgumentNullException.ThrowIfNull(credential);
        if (serviceUri.Scheme != Uri.UriSchemeHttps)
        {
            // Azure.Core refuses to send a bearer token in clear text; say so now rather than on the first request.
            throw new ArgumentException("Bearer tokens are only sent over https; use an https blob endpoint.", nameof(serviceUri));
        }
        return new BlobStore(serviceUri, new BearerTokenAuthenticationPolicy(credential, StorageScope), options);
    }

    /// <returns>True when this call created the container, false when it already existed.</returns>
    public async Task<bool> CreateContainerIfNotExistsAsync(string container, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Put, ContainerUri(container), ContainerCreated);
        await pipeline.SendAsync(message, cancellationToken);
        return message.Response switch
        {
            { Status: 201 } => true,
            { Status: 409 } response when ErrorCode(response) == "ContainerAlreadyExists" => false,
            var response => throw await FailureAsync(response, cancellationToken),
        };
    }

    /// <returns>False when the container did not exist.</returns>
    public async Task<bool> DeleteContainerIfExistsAsync(string container, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Delete, ContainerUri(container), Deleted);
        await pipeline.SendAsync(message, cancellationToken);
        return await DeletedAsync(message.Response, cancellationToken);
    }

    /// <summary>
    /// Put Blob: writes <paramref name="content"/> from its current position to the end as one
    /// block blob, replacing any blob of that name. Meant for files up to a few hundred MB.
    /// </summary>
    /// <param name="content">Must be seekable, because Put Blob needs the length up front and a retry rewinds the body. Left open.</param>
    /// <returns>The new blob's ETag, quoted as in the ETag header.</returns>
    public async Task<string> UploadAsync(string container, string blobName, Stream content, string contentType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        if (!content.CanSeek)
        {
            throw new ArgumentException("Put Blob needs the length up front and retries rewind the body, so the stream must be seekable.", nameof(content));
        }
        using var message = CreateMessage(RequestMethod.Put, BlobUri(container, blobName), BlobCreated);
        message.Request.Headers.Add("x-ms-blob-type", "BlockBlob");
        message.Request.Headers.Add("x-ms-blob-content-type", contentType);
        message.Request.Content = new RewindingStreamContent(content);
        message.NetworkTimeout = UploadTimeout;
        await pipeline.SendAsync(message, cancellationToken);
        return message.Response.IsError
            ? throw await FailureAsync(message.Response, cancellationToken)
            : RequiredHeader(message.Response, HttpHeader.Names.ETag);
    }

    /// <summary>Get Blob Properties (HEAD).</summary>
    /// <returns>Null when the blob or its container does not exist.</returns>
    public async Task<BlobProperties?> GetPropertiesAsync(string container, string blobName, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Head, BlobUri(container, blobName), PropertiesRead);
        await pipeline.SendAsync(message, cancellationToken);
        return message.Response switch
        {
            { Status: 200 } response => new BlobProperties(
                response.Headers.ContentLengthLong ?? 0,
                response.Headers.ContentType,
                RequiredHeader(response, HttpHeader.Names.ETag),
                LastModified(response) ?? throw new RequestFailedException(response.Status, "The blob service sent no Last-Modified header.")),
            { Status: 404 } => null,
            var response => throw await FailureAsync(response, cancellationToken),
        };
    }

    /// <summary>
    /// Get Blob, optionally one byte range and conditional on an ETag the client already has.
    /// The body is not buffered: for 200 and 206 <see cref="BlobDownload.Content"/> is the live
    /// response stream and the caller disposes it. 304, 404 and 416 come back without content.
    /// </summary>
    /// <param name="ifNoneMatch">The client's If-None-Match header, passed on verbatim.</param>
    public async Task<BlobDownload> OpenReadAsync(
        string container, string blobName, HttpRange? range = null, string? ifNoneMatch = null, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Get, BlobUri(container, blobName), ContentRead);
        message.BufferResponse = false;
        if (range is { } bytes)
        {
            message.Request.Headers.Add(HttpHeader.Names.Range, bytes.ToString());
        }
        if (!string.IsNullOrEmpty(ifNoneMatch))
        {
            message.Request.Headers.Add(HttpHeader.Names.IfNoneMatch, ifNoneMatch);
        }
        await pipeline.SendAsync(message, cancellationToken);
        var response = message.Response;
        if (response.IsError)
        {
            throw await FailureAsync(response, cancellationToken);
        }
        // Extracting detaches the live stream, so disposing the message leaves it open for the caller.
        return new BlobDownload(
            response.Status,
            response.Status is 200 or 206 ? message.ExtractResponseContent() : null,
            response.Headers.ContentLengthLong,
            Header(response, "Content-Range"),
            response.Headers.ContentType,
            Header(response, HttpHeader.Names.ETag),
            LastModified(response));
    }

    /// <returns>False when the blob or its container did not exist.</returns>
    public async Task<bool> DeleteIfExistsAsync(string container, string blobName, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Delete, BlobUri(container, blobName), Deleted);
        // Without this a blob that has snapshots refuses deletion (409 SnapshotsPresent).
        message.Request.Headers.Add("x-ms-delete-snapshots", "include");
        await pipeline.SendAsync(message, cancellationToken);
        return await DeletedAsync(message.Response, cancellationToken);
    }

    private HttpMessage CreateMessage(RequestMethod method, Uri uri, ResponseClassifier classifier)
    {
        var message = pipeline.CreateMessage();
        message.ResponseClassifier = classifier;
        message.Request.Method = method;
        message.Request.Uri.Reset(uri);
        message.Request.Headers.Add("x-ms-version", ServiceVersion);
        return message;
    }

    private Uri ContainerUri(string container) => new($"{serviceRoot}/{ContainerSegment(container)}?restype=container");

    private Uri BlobUri(string container, string blobName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(blobName);
        // Escape each segment but keep '/', which blob names use as a virtual folder separator.
        return new($"{serviceRoot}/{ContainerSegment(container)}/{string.Join('/', blobName.Split('/').Select(Uri.EscapeDataString))}");
    }

    private static string ContainerSegment(string container)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(container);
        return Uri.EscapeDataString(container);
    }

    private static async Task<bool> DeletedAsync(Response response, CancellationToken cancellationToken) => response.Status switch
    {
        202 => true,
        404 => false,
        _ => throw await FailureAsync(response, cancellationToken),
    };

    private static async Task<RequestFailedException> FailureAsync(Response response, CancellationToken cancellationToken)
    {
        // Read an unbuffered error body asynchronously; the exception would read it synchronously.
        if (response.ContentStream is { } stream and not MemoryStream)
        {
            var buffered = new MemoryStream();
            await stream.CopyToAsync(buffered, cancellationToken);
            await stream.DisposeAsync();
            buffered.Position = 0;
            response.ContentStream = buffered;
        }
        return new RequestFailedException(response, null, StorageErrorParser.Instance);
    }

    private static string? ErrorCode(Response response) => Header(response, "x-ms-error-code");

    private static string? Header(Response response, string name) =>
        response.Headers.TryGetValue(name, out var value) ? value : null;

    private static string RequiredHeader(Response response, string name) =>
        Header(response, name) ?? throw new RequestFailedException(response.Status, $"The blob service sent no {name} header.");

    private static DateTimeOffset? LastModified(Response response) =>
        Header(response, "Last-Modified") is { } value
            ? DateTimeOffset.ParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            : null;

    /// <summary>
    /// Storage errors carry their code in the x-ms-error-code header and explain themselves in an
    /// XML body; Azure.Core's default parser only understands JSON errors.
    /// </summary>
    private sealed class StorageErrorParser : RequestFailedDetailsParser
    {
        public static readonly StorageErrorParser Instance = new();

        public override bool TryParse(Response response, out ResponseError? error, out IDictionary<string, string>? data)
        {
            data = null;
            error = ErrorCode(response) is { } code ? new ResponseError(code, XmlMessage(response) ?? code) : null;
            return error is not null;
        }

        private static string? XmlMessage(Response response)
        {
            try
            {
                return XDocument.Parse(response.Content.ToString()).Root?.Element("Message")?.Value;
            }
            catch (XmlException)
            {
                // HEAD errors have no body, and a proxy in between may answer with HTML.
                return null;
            }
        }
    }

    /// <summary>The caller's stream as a request body: rewound for each retry and never disposed.</summary>
    private sealed class RewindingStreamContent(Stream stream) : RequestContent
    {
        private readonly long origin = stream.Position;

        public override bool TryComputeLength(out long length)
        {
            length = stream.Length - origin;
            return true;
        }

        public override void WriteTo(Stream destination, CancellationToken cancellationToken)
        {
            stream.Position = origin;
            stream.CopyTo(destination);
        }

        public override async Task WriteToAsync(Stream destination, CancellationToken cancellationToken)
        {
            stream.Position = origin;
            await stream.CopyToAsync(destination, cancellationToken);
        }

        // The stream belongs to the caller of UploadAsync.
        public override void Dispose()
        {
        }
    }
}

/// <summary>Pipeline settings for <see cref="BlobStore"/>; tests replace <see cref="ClientOptions.Transport"/>.</summary>
public sealed class BlobStoreClientOptions : ClientOptions
{
    public BlobStoreClientOptions()
    {
        Retry.Mode = RetryMode.Exponential;
        Retry.MaxRetries = 3;
        Retry.Delay = TimeSpan.FromMilliseconds(500);
        Retry.MaxDelay = TimeSpan.FromSeconds(8);
        // A proxied media response must start within the Functions host's 230 s: four attempts
        // of at most 30 s each plus backoff stay well inside it. Reads of the body get 30 s each.
        Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
    }
}

/// <param name="ETag">Quoted, as in the ETag header.</param>
public sealed record BlobProperties(long ContentLength, string? ContentType, string ETag, DateTimeOffset LastModified);

/// <summary>The outcome of <see cref="BlobStore.OpenReadAsync"/>; headers are as the blob service sent them.</summary>
/// <param name="Status">200, 206 (a range), 304 (ETag still current), 404 or 416 (range beyond the blob).</param>
/// <param name="Content">The live response body for 200 and 206, otherwise null. The caller disposes it.</param>
/// <param name="ContentLength">The length of <paramref name="Content"/>: the whole blob for 200, the slice for 206.</param>
/// <param name="ContentRange">For 206, e.g. <c>bytes 0-99/1234</c>.</param>
/// <param name="ETag">Quoted, as in the ETag header; Azurite leaves it out of 304 responses.</param>
public sealed record BlobDownload(
    int Status, Stream? Content, long? ContentLength, string? ContentRange, string? ContentType, string? ETag, DateTimeOffset? LastModified);
