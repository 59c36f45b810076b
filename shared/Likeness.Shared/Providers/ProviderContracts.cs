using System.ClientModel;
using System.Globalization;
using System.Net.Http.Headers;
using Likeness.Shared.Data;
using Pgvector;

namespace Likeness.Shared.Providers;

/// <summary>Reads search tags out of a likeness's media and profile text with an AI model.</summary>
public interface ITagExtractor
{
    /// <summary>False when no AI endpoint is configured; the indexer then skips tag extraction.</summary>
    bool IsConfigured { get; }

    /// <param name="contentType">The image's media type, e.g. <c>image/jpeg</c>.</param>
    Task<SearchAttributes> ExtractFromImageAsync(BinaryData image, string contentType, CancellationToken cancellationToken);

    /// <param name="contentType">WAV or MP3 (<c>audio/wav</c>, <c>audio/mpeg</c>); other formats are an <see cref="ArgumentException"/>.</param>
    Task<SearchAttributes> ExtractFromVoiceAsync(BinaryData audio, string contentType, CancellationToken cancellationToken);

    Task<SearchAttributes> ExtractFromDescriptionAsync(string description, CancellationToken cancellationToken);
}

/// <summary>Turns the normalized tag text of a likeness into its search vector.</summary>
public interface IEmbedder
{
    /// <summary>Names the vector space; vectors of different models must not be compared.</summary>
    string Model { get; }

    /// <returns>A vector of <see cref="Embedding.Dimensions"/> finite numbers, never all zero.</returns>
    /// <exception cref="ArgumentException">The text is empty or white space: there is nothing to search by.</exception>
    Task<Vector> EmbedAsync(string text, CancellationToken cancellationToken);
}

/// <summary>Clones a likeness's voice and renders a sample with the clone.</summary>
public interface IVoiceCloner
{
    /// <summary>False when no voice provider is configured; the indexer then skips cloning.</summary>
    bool IsConfigured { get; }

    /// <summary>The text-to-speech model the samples are rendered with, stored beside the voice.</summary>
    string ModelId { get; }

    /// <returns>The provider's id of the new voice.</returns>
    Task<string> CreateVoiceAsync(string name, BinaryData sample, string contentType, CancellationToken cancellationToken);

    /// <returns>The rendered speech as MP3.</returns>
    Task<BinaryData> RenderSampleAsync(string voiceId, string text, CancellationToken cancellationToken);
}

/// <summary>
/// A call to an AI or voice provider failed: an HTTP error, a timeout or an answer that could not
/// be used. The indexer records it as a retry, waiting at least <see cref="RetryAfter"/> when the
/// provider asked for that. Cancellation by the caller is never wrapped in this.
/// </summary>
public sealed class ProviderException : Exception
{
    public ProviderException()
    {
    }

    public ProviderException(string message)
        : base(message)
    {
    }

    public ProviderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ProviderException(string message, int? statusCode, TimeSpan? retryAfter, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        RetryAfter = retryAfter;
    }

    /// <summary>The provider's HTTP status, or null when there was no answer (timeout, connection) or it was unusable.</summary>
    public int? StatusCode { get; }

    /// <summary>How long the provider asked to wait before the next call (429 or 503 with <c>Retry-After</c>).</summary>
    public TimeSpan? RetryAfter { get; }

    internal static ProviderException FromClientResult(string provider, ClientResultException error)
    {
        var response = error.GetRawResponse();
        if (response is null)
        {
            // No answer at all: the connection failed before a status arrived.
            return new ProviderException($"{provider} could not be reached: {error.Message}", null, null, error);
        }
        response.Headers.TryGetValue("retry-after-ms", out var retryAfterMs);
        response.Headers.TryGetValue("Retry-After", out var retryAfter);
        return new ProviderException(
            $"{provider} answered {response.Status}: {error.Message}",
            response.Status,
            ParseRetryAfter(retryAfterMs, retryAfter, DateTimeOffset.UtcNow),
            error);
    }

    internal static ProviderException FromResponse(string provider, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        var retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => Positive(date - DateTimeOffset.UtcNow),
            _ => (TimeSpan?)null,
        };
        return new ProviderException($"{provider} answered {status}: {Truncate(body)}", status, retryAfter);
    }

    internal static ProviderException TimedOut(string provider, TimeSpan timeout, Exception innerException) =>
        new($"{provider} did not answer within {timeout.TotalSeconds:0.#} s.", null, null, innerException);

    internal static ProviderException Malformed(string provider, string problem, Exception? innerException = null) =>
        new($"{provider} gave an unusable answer: {problem}", null, null, innerException);

    /// <summary>
    /// OpenAI and Azure OpenAI send <c>retry-after-ms</c> beside the standard header; the finer one
    /// wins. The standard header is either seconds or an HTTP date.
    /// </summary>
    internal static TimeSpan? ParseRetryAfter(string? retryAfterMs, string? retryAfter, DateTimeOffset now)
    {
        if (double.TryParse(retryAfterMs, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 0)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }
        if (RetryConditionHeaderValue.TryParse(retryAfter, out var condition))
        {
            return condition.Delta ?? (condition.Date is { } date ? Positive(date - now) : null);
        }
        return null;
    }

    private static TimeSpan Positive(TimeSpan delay) => delay > TimeSpan.Zero ? delay : TimeSpan.Zero;

    // Error bodies end up in the queue event's info; a page of HTML helps nobody there.
    private static string Truncate(string body) =>
        body.Length <= 300 ? body : string.Concat(body.AsSpan(0, 300), "…");
}
