using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Likeness.Testing;

/// <summary>
/// Just enough of the ElevenLabs API, on a loopback port: <c>POST /v1/voices/add</c> (multipart
/// name + files) clones a voice, <c>POST /v1/text-to-speech/{voice_id}</c> renders
/// <see cref="SpeechFor"/> as <c>audio/mpeg</c>. A wrong <c>xi-api-key</c> is a 401.
/// </summary>
public sealed class FakeElevenLabsServer : FakeHttpServer
{
    private readonly ConcurrentDictionary<string, ClonedVoice> voices = new();
    private int voiceCount;

    private FakeElevenLabsServer(string apiKey)
    {
        ApiKey = apiKey;
    }

    public string ApiKey { get; }

    public IReadOnlyDictionary<string, ClonedVoice> Voices => voices;

    public static async Task<FakeElevenLabsServer> StartAsync(string apiKey = "fake-eleven-key")
    {
        var server = new FakeElevenLabsServer(apiKey);
        await server.StartServerAsync();
        return server;
    }

    /// <summary>The fake's "speech": recognisable bytes that tell which voice, model and text made them.</summary>
    public static byte[] SpeechFor(string voiceId, string modelId, string text) =>
        Encoding.UTF8.GetBytes($"ID3 fake speech|{voiceId}|{modelId}|{text}");

    protected override async Task AnswerAsync(HttpContext context, RecordedRequest request)
    {
        if (request.Header("xi-api-key") != ApiKey)
        {
            await DetailAsync(context, StatusCodes.Status401Unauthorized, "invalid_api_key", "Invalid API key");
            return;
        }
        if (request.Method == "POST" && request.Path == "/v1/voices/add")
        {
            await AddVoiceAsync(context);
            return;
        }
        const string speechPrefix = "/v1/text-to-speech/";
        if (request.Method == "POST" && request.Path.StartsWith(speechPrefix, StringComparison.Ordinal))
        {
            await SpeakAsync(context, Uri.UnescapeDataString(request.Path[speechPrefix.Length..]), request.Json);
            return;
        }
        await DetailAsync(context, StatusCodes.Status404NotFound, "not_found", "No such route");
    }

    protected override Task FailAsync(HttpContext context, int status, TimeSpan? retryAfter)
    {
        if (retryAfter is { } delay)
        {
            context.Response.Headers.RetryAfter = ((int)delay.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }
        return DetailAsync(context, status, status == StatusCodes.Status429TooManyRequests ? "too_many_concurrent_requests" : "internal_error", "Scripted failure");
    }

    private async Task AddVoiceAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var name = form["name"].ToString();
        var file = form.Files.GetFile("files");
        if (string.IsNullOrWhiteSpace(name) || file is null)
        {
            await DetailAsync(context, StatusCodes.Status422UnprocessableEntity, "invalid_request", "name and files are required");
            return;
        }
        using var sample = new MemoryStream();
        await file.CopyToAsync(sample, context.RequestAborted);
        var voiceId = "voice" + Interlocked.Increment(ref voiceCount).ToString(CultureInfo.InvariantCulture);
        voices[voiceId] = new ClonedVoice(name, file.FileName, file.ContentType, sample.ToArray());
        await JsonAsync(context, StatusCodes.Status200OK, new JsonObject { ["voice_id"] = voiceId, ["requires_verification"] = false });
    }

    private async Task SpeakAsync(HttpContext context, string voiceId, JsonNode body)
    {
        if (!voices.ContainsKey(voiceId))
        {
            await DetailAsync(context, StatusCodes.Status404NotFound, "voice_not_found", "A voice with this id was not found");
            return;
        }
        var speech = SpeechFor(voiceId, body["model_id"]?.GetValue<string>() ?? "", body["text"]?.GetValue<string>() ?? "");
        context.Response.ContentType = "audio/mpeg";
        await context.Response.Body.WriteAsync(speech, context.RequestAborted);
    }

    private static Task DetailAsync(HttpContext context, int status, string code, string message) =>
        JsonAsync(context, status, new JsonObject { ["detail"] = new JsonObject { ["status"] = code, ["message"] = message } });
}

/// <summary>A voice the fake cloned, with the sample it was given.</summary>
public sealed record ClonedVoice(string Name, string FileName, string ContentType, byte[] Sample);
