using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
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
/// Just enough of an Azure OpenAI resource, on a loopback port, for the real
/// <c>AzureOpenAIClient</c>: <c>POST /openai/deployments/{deployment}/chat/completions</c> answers
/// <see cref="ChatAnswer"/>, <c>POST /openai/deployments/{deployment}/embeddings</c> a deterministic
/// vector per input. Like Azure it wants an <c>api-version</c> (404 without) and an <c>api-key</c>
/// or bearer token (401 without), and names the deployment as the model in its answers.
/// </summary>
public sealed class FakeOpenAiServer : FakeHttpServer
{
    private const string DeploymentsPath = "/openai/deployments/";

    private FakeOpenAiServer()
    {
    }

    /// <summary>What <c>AI__Endpoint</c> is set to: the resource endpoint, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Endpoint => BaseAddress;

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
        var operation = request.Path.StartsWith(DeploymentsPath, StringComparison.Ordinal) ? request.Path[DeploymentsPath.Length..].Split('/', 2) : [];
        if (operation.Length != 2 || operation[1] is not ("chat/completions" or "embeddings") || !context.Request.Query.ContainsKey("api-version"))
        {
            return ErrorAsync(context, StatusCodes.Status404NotFound, "Resource not found");
        }
        if (request.Method != "POST")
        {
            return ErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "method not allowed");
        }
        if (request.Header("api-key") is null && request.Header("Authorization")?.StartsWith("Bearer ", StringComparison.Ordinal) != true)
        {
            return ErrorAsync(context, StatusCodes.Status401Unauthorized, "Access denied due to missing subscription key or token.");
        }
        var deployment = Uri.UnescapeDataString(operation[0]);
        return operation[1] == "embeddings"
            ? EmbeddingsAsync(context, deployment, request.Json)
            : ChatAsync(context, deployment);
    }

    protected override Task FailAsync(HttpContext context, int status, TimeSpan? retryAfter)
    {
        if (retryAfter is { } delay)
        {
            context.Response.Headers.RetryAfter = ((int)delay.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return ErrorAsync(context, status, status == StatusCodes.Status429TooManyRequests ? "rate limit reached" : "server error");
    }

    private Task ChatAsync(HttpContext context, string deployment)
    {
        var answer = new JsonObject
        {
            ["id"] = "chatcmpl-fake",
            ["object"] = "chat.completion",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["model"] = deployment,
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

    private Task EmbeddingsAsync(HttpContext context, string deployment, JsonNode body)
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
            ["model"] = deployment,
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
    // Written as the real services write JSON: OpenAI 2.1.0 decodes base64 embeddings from the raw
    // bytes, so the default encoder's "\u002B" for '+' would not decode.
    private static readonly JsonSerializerOptions ServiceJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

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
        return context.Response.WriteAsync(body.ToJsonString(ServiceJson));
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
