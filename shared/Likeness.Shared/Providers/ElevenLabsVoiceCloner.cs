using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Likeness.Shared.Providers;

/// <summary>
/// ElevenLabs instant voice cloning over its REST API. Each call has its own deadline
/// (<see cref="ElevenLabsOptions.TimeoutSeconds"/>), so a hanging call is told apart from the
/// caller giving up.
/// </summary>
public sealed class ElevenLabsVoiceCloner(HttpClient httpClient, IOptions<ElevenLabsOptions> options, ILogger<ElevenLabsVoiceCloner> logger)
    : IVoiceCloner
{
    private const string Provider = "ElevenLabs";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(options.Value.ApiKey);

    public string ModelId => options.Value.ModelId;

    public async Task<string> CreateVoiceAsync(string name, BinaryData sample, string contentType, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(sample);
        var mediaType = MediaTypeHeaderValue.Parse(contentType);

        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(name), "name");
        var file = new ByteArrayContent(sample.ToArray());
        file.Headers.ContentType = mediaType;
        form.Add(file, "files", "sample" + ExtensionOf(mediaType.MediaType));
        using var request = Request("v1/voices/add", form);
        var answer = await SendAsync(request, async (response, token) =>
        {
            try
            {
                return await response.Content.ReadFromJsonAsync<AddVoiceResponse>(token);
            }
            catch (JsonException error)
            {
                throw ProviderException.Malformed(Provider, "the answer to adding a voice is not JSON", error);
            }
        }, cancellationToken);

        if (string.IsNullOrWhiteSpace(answer?.VoiceId))
        {
            throw ProviderException.Malformed(Provider, "the answer to adding a voice has no voice_id");
        }
        logger.LogInformation("Cloned ElevenLabs voice {VoiceId}", answer.VoiceId);
        return answer.VoiceId;
    }

    public async Task<BinaryData> RenderSampleAsync(string voiceId, string text, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(voiceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(text);

        using var content = JsonContent.Create(new TextToSpeechRequest(text, options.Value.ModelId));
        using var request = Request($"v1/text-to-speech/{Uri.EscapeDataString(voiceId)}?output_format=mp3_44100_128", content);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("audio/mpeg"));
        var audio = await SendAsync(request, async (response, token) =>
        {
            // A proxy's HTML page with 200 is no speech.
            if (response.Content.Headers.ContentType?.MediaType is { } mediaType
                && !mediaType.StartsWith("audio/", StringComparison.OrdinalIgnoreCase))
            {
                throw ProviderException.Malformed(Provider, $"text to speech answered {mediaType}, not audio");
            }
            return await response.Content.ReadAsByteArrayAsync(token);
        }, cancellationToken);

        if (audio.Length == 0)
        {
            throw ProviderException.Malformed(Provider, "text to speech answered no audio");
        }
        logger.LogInformation("Rendered {Bytes} bytes of speech with ElevenLabs voice {VoiceId}", audio.Length, voiceId);
        return BinaryData.FromBytes(audio);
    }

    private HttpRequestMessage Request(string path, HttpContent content)
    {
        // A relative path would replace the base's last segment unless the base ends with a slash.
        var endpoint = options.Value.Endpoint.ToString();
        var baseUri = new Uri(endpoint.EndsWith('/') ? endpoint : endpoint + "/");
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUri, path)) { Content = content };
        request.Headers.Add("xi-api-key", options.Value.ApiKey);
        return request;
    }

    private async Task<T> SendAsync<T>(
        HttpRequestMessage request, Func<HttpResponseMessage, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(options.Value.TimeoutSeconds);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (!response.IsSuccessStatusCode)
            {
                var error = await response.Content.ReadAsStringAsync(deadline.Token);
                throw ProviderException.FromResponse(Provider, response, error);
            }
            return await read(response, deadline.Token);
        }
        catch (OperationCanceledException error) when (!cancellationToken.IsCancellationRequested)
        {
            // Our deadline or HttpClient.Timeout, whichever came first.
            throw ProviderException.TimedOut(Provider, timeout, error);
        }
        catch (HttpRequestException error)
        {
            throw new ProviderException($"{Provider} could not be reached: {error.Message}", null, null, error);
        }
    }

    private static string ExtensionOf(string? mediaType) => mediaType?.ToUpperInvariant() switch
    {
        "AUDIO/MPEG" or "AUDIO/MP3" => ".mp3",
        "AUDIO/WAV" or "AUDIO/X-WAV" or "AUDIO/WAVE" or "AUDIO/VND.WAVE" => ".wav",
        "AUDIO/OGG" => ".ogg",
        "AUDIO/WEBM" => ".webm",
        "AUDIO/MP4" or "AUDIO/X-M4A" => ".m4a",
        "AUDIO/FLAC" or "AUDIO/X-FLAC" => ".flac",
        _ => "",
    };

    private sealed record AddVoiceResponse([property: JsonPropertyName("voice_id")] string? VoiceId);

    private sealed record TextToSpeechRequest(
        [property: JsonPropertyName("text")] string Text,
        [property: JsonPropertyName("model_id")] string ModelId);
}
