using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Likeness.Testing;

/// <summary>
/// Just enough of an OpenAI-compatible API, on a loopback port, for the real OpenAI client:
/// <c>POST …/chat/completions</c> answers <see cref="ChatAnswer"/>, <c>POST …/embeddings</c>
/// a deterministic vector per input. Paths are matched by their ending, so the
/// <see cref="Endpoint"/> looks like Azure OpenAI's v1 API.
/// </summary>
public sealed class FakeOpenAiServer : FakeHttpServer
{
    private FakeOpenAiServer()
    {
    }

    /// <summary>What the client is configured with, e.g. <c>http://127.0.0.1:PORT/openai/v1/</c>.</summary>
    public Uri Endpoint => new(BaseAddress, "openai/v1/");

    /// <summary>The assistant message content of every chat completion.</summary>
    public string ChatAnswer { get; set; } = "{}";

    /// <summary>Null answers the requested <c>dimensions</c>; a number forces a wrong-length vector.</summary>
    public int? EmbeddingLength { get; set; }

    public IReadOnlyList<RecordedRequest> ChatRequests => Requests.Where(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal)).ToList();

    public IReadOnlyList<RecordedRequest> EmbeddingRequests => Requests.Where(r => r.Path.EndsWith("/embeddings", StringComparison.Ordinal)).ToList();

    public static async Task<FakeOpenAiServer> StartAsync()
    {
        var server = new FakeOpenAiServer();
        await server.StartServerAsync();
        return server;
    }

    /// <summary>The fake's vector for <paramref name="input"/>, as the client should receive it.</summary>
    public static float[] VectorFor(string input, int length)
    {
        var random = new Random(StableHash(input));
        return Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    protected override Task AnswerAsync(HttpContext context, RecordedRequest request)
    {
        if (request.Method != "POST")
        {
            return ErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "method not allowed");
        }
        if (request.Path.EndsWith("/chat/completions", StringComparison.Ordinal))
        {
            return ChatAsync(context, request.Json);
        }
        if (request.Path.EndsWith("/embeddings", StringComparison.Ordinal))
        {
            return EmbeddingsAsync(context, request.Json);
        }
        return ErrorAsync(context, StatusCodes.Status404NotFound, "no such route");
    }

    protected override Task FailAsync(HttpContext context, int status, TimeSpan? retryAfter)
    {
        if (retryAfter is { } delay)
        {
            context.Response.Headers.RetryAfter = ((int)delay.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return ErrorAsync(context, status, status == StatusCodes.Status429TooManyRequests ? "rate limit reached" : "server error");
    }

    private Task ChatAsync(HttpContext context, JsonNode body)
    {
        var answer = new JsonObject
        {
            ["id"] = "chatcmpl-fake",
            ["object"] = "chat.completion",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["model"] = body["model"]?.GetValue<string>(),
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = ChatAnswer, ["refusal"] = null },
                ["finish_reason"] = "stop",
                ["logprobs"] = null,
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 1, ["completion_tokens"] = 1, ["total_tokens"] = 2 },
        };
        return JsonAsync(context, StatusCodes.Status200OK, answer);
    }

    private Task EmbeddingsAsync(HttpContext context, JsonNode body)
    {
        var inputs = body["input"] is JsonArray array
            ? array.Select(item => item!.GetValue<string>()).ToList()
            : [body["input"]!.GetValue<string>()];
        var length = EmbeddingLength ?? body["dimensions"]?.GetValue<int>() ?? 1536;
        var base64 = body["encoding_format"]?.GetValue<string>() == "base64";
        var data = new JsonArray();
        for (var i = 0; i < inputs.Count; i++)
        {
            var vector = VectorFor(inputs[i], length);
            JsonNode embedding = base64
                ? Convert.ToBase64String(vector.SelectMany(BitConverter.GetBytes).ToArray())
                : new JsonArray(vector.Select(x => (JsonNode)x).ToArray());
            data.Add(new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = embedding });
        }
        var answer = new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = body["model"]?.GetValue<string>(),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 1, ["total_tokens"] = 1 },
        };
        return JsonAsync(context, StatusCodes.Status200OK, answer);
    }

    private static Task ErrorAsync(HttpContext context, int status, string message) =>
        JsonAsync(context, status, new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message, ["type"] = "fake_error", ["param"] = null, ["code"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        });

    private static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 16777619u;
        }
        return (int)hash;
    }
}

/// <summary>What a fake server is told to do instead of answering normally.</summary>
public enum FakeFailure
{
    /// <summary>429 with <c>Retry-After</c> (<see cref="FakeHttpServer.RetryAfter"/>).</summary>
    TooManyRequests,

    /// <summary>500.</summary>
    ServerError,

    /// <summary>Waits <see cref="FakeHttpServer.HangTime"/> (or until the client gives up), then answers normally.</summary>
    Hang,

    /// <summary>200 with an HTML page, as a misconfigured proxy would.</summary>
    Html,
}

/// <summary>One request as the fake received it.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("The request body is JSON null.");

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A real HTTP server (Kestrel) on a free loopback port that records every request and can be
/// scripted to fail the next calls, for testing real clients without the internet.
/// </summary>
public abstract class FakeHttpServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<FakeFailure> failures = new();
    private readonly ConcurrentQueue<RecordedRequest> requests = new();
    private WebApplication? app;

    /// <summary>Root of the server, e.g. <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan HangTime { get; set; } = TimeSpan.FromSeconds(30);

    public IReadOnlyList<RecordedRequest> Requests => requests.ToArray();

    /// <summary>The next <paramref name="count"/> requests fail as <paramref name="failure"/>; later ones are answered.</summary>
    public void FailNext(int count, FakeFailure failure)
    {
        for (var i = 0; i < count; i++)
        {
            failures.Enqueue(failure);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await app.StopAsync(timeout.Token);
            await app.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }

    protected async Task StartServerAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        BaseAddress = new Uri(address.TrimEnd('/') + "/");
    }

    protected abstract Task AnswerAsync(HttpContext context, RecordedRequest request);

    protected abstract Task FailAsync(HttpContext context, int status, TimeSpan? retryAfter);

    protected static Task JsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString());
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var request = new RecordedRequest(
            context.Request.Method,
            context.Request.Path.Value ?? "",
            context.Request.QueryString.Value ?? "",
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            buffer.ToArray());
        requests.Enqueue(request);
        // Handlers that parse forms read the body again.
        context.Request.Body = new MemoryStream(request.Body);

        if (!failures.TryDequeue(out var failure))
        {
            await AnswerAsync(context, request);
            return;
        }
        switch (failure)
        {
            case FakeFailure.TooManyRequests:
                await FailAsync(context, StatusCodes.Status429TooManyRequests, RetryAfter);
                break;
            case FakeFailure.ServerError:
                await FailAsync(context, StatusCodes.Status500InternalServerError, null);
                break;
            case FakeFailure.Html:
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<html><body>Gateway says hello</body></html>");
                break;
            case FakeFailure.Hang:
                var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
                using (var waiting = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping))
                {
                    try
                    {
                        await Task.Delay(HangTime, waiting.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
                await AnswerAsync(context, request);
                break;
        }
    }
}
