using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using OpenAI.Chat;

namespace Likeness.Shared.Providers;

/// <summary>
/// A chat completion with an audio recording in the user message. Azure.AI.OpenAI 2.1.0 cannot
/// express one: its OpenAI 2.1.0 models have no <c>input_audio</c> content part, and the newest
/// api-version it sends, 2024-10-21, accepts only text and image parts. So the request body is
/// written here and sent with the same chat client (authentication, retries, timeouts) under
/// <see cref="ApiVersion"/>; the answer is read back into the library's <see cref="ChatCompletion"/>.
/// </summary>
internal static class AudioChatCompletion
{
    /// <summary>The first Azure OpenAI api-version whose chat completions take audio input.</summary>
    public const string ApiVersion = "2025-01-01-preview";

    /// <summary>The <c>input_audio</c> format of a recording: audio models take WAV or MP3 only.</summary>
    /// <exception cref="ArgumentException">Any other media type.</exception>
    public static string Format(string contentType)
    {
        var mediaType = MediaTypeHeaderValue.TryParse(contentType, out var parsed) ? parsed.MediaType : contentType;
        return mediaType?.ToUpperInvariant() switch
        {
            "AUDIO/WAV" or "AUDIO/X-WAV" or "AUDIO/WAVE" or "AUDIO/VND.WAVE" => "wav",
            "AUDIO/MPEG" or "AUDIO/MP3" or "AUDIO/MPEG3" or "AUDIO/X-MPEG-3" => "mp3",
            _ => throw new ArgumentException($"Audio models take WAV or MP3, not {contentType}.", nameof(contentType)),
        };
    }

    /// <param name="format">From <see cref="Format"/>.</param>
    /// <exception cref="ClientResultException">The service answered with an error status, or not at all.</exception>
    /// <exception cref="System.Text.Json.JsonException">The answer is not a chat completion.</exception>
    public static async Task<ChatCompletion> CompleteAsync(
        ChatClient client, string instructions, string prompt, BinaryData audio, string format, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "system", ["content"] = instructions },
                new JsonObject
                {
                    ["role"] = "user",
                    ["content"] = new JsonArray(
                        new JsonObject { ["type"] = "text", ["text"] = prompt },
                        new JsonObject
                        {
                            ["type"] = "input_audio",
                            ["input_audio"] = new JsonObject { ["data"] = Convert.ToBase64String(audio.ToMemory().Span), ["format"] = format },
                        }),
                }),
        };
        var options = new RequestOptions { CancellationToken = cancellationToken };
        options.AddPolicy(ApiVersionPolicy.Instance, PipelinePosition.PerCall);
        var result = await client.CompleteChatAsync(BinaryContent.Create(BinaryData.FromString(body.ToJsonString())), options);
        return ModelReaderWriter.Read<ChatCompletion>(result.GetRawResponse().Content)
            ?? throw new System.Text.Json.JsonException("The answer is JSON null.");
    }

    /// <summary>Replaces the api-version the client put in the URL; per call, so retries keep it.</summary>
    private sealed class ApiVersionPolicy : PipelinePolicy
    {
        public static readonly ApiVersionPolicy Instance = new();

        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            SetApiVersion(message.Request);
            ProcessNext(message, pipeline, currentIndex);
        }

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            SetApiVersion(message.Request);
            return ProcessNextAsync(message, pipeline, currentIndex);
        }

        private static void SetApiVersion(PipelineRequest request)
        {
            var uri = request.Uri ?? throw new InvalidOperationException("The chat client sent a request without a URL.");
            var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
            query["api-version"] = ApiVersion;
            request.Uri = new UriBuilder(uri) { Query = query.ToString() }.Uri;
        }
    }
}
