using Likeness.Shared.Providers;
using Likeness.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Likeness.Shared.Tests.Providers;

[TestClass]
public sealed class ElevenLabsVoiceClonerTests
{
    private static readonly BinaryData Sample = BinaryData.FromBytes("ID3 a voice sample"u8.ToArray());

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Token => TestContext.CancellationToken;

    [TestMethod]
    public async Task ClonedVoiceRendersTheSampleTextWithTheConfiguredModel()
    {
        await using var server = await FakeElevenLabsServer.StartAsync();
        using var http = new HttpClient();
        var cloner = Cloner(server, http, new ElevenLabsOptions { ModelId = "eleven_test_model" });

        var voiceId = await cloner.CreateVoiceAsync("Ada Lovelace", Sample, "audio/mpeg", Token);
        var speech = await cloner.RenderSampleAsync(voiceId, "Hello there.", Token);

        var voice = server.Voices[voiceId];
        Assert.AreEqual("Ada Lovelace", voice.Name);
        Assert.AreEqual("sample.mp3", voice.FileName);
        Assert.AreEqual("audio/mpeg", voice.ContentType);
        CollectionAssert.AreEqual(Sample.ToArray(), voice.Sample);
        CollectionAssert.AreEqual(FakeElevenLabsServer.SpeechFor(voiceId, "eleven_test_model", "Hello there."), speech.ToArray());
        Assert.AreEqual("eleven_test_model", cloner.ModelId);
        Assert.IsTrue(cloner.IsConfigured);
        Assert.IsTrue(server.Requests.All(r => r.Header("xi-api-key") == server.ApiKey));
        Assert.AreEqual("?output_format=mp3_44100_128", server.Requests[1].Query);
    }

    [TestMethod]
    public async Task EndpointWithAPathKeepsItsPath()
    {
        await using var server = await FakeElevenLabsServer.StartAsync();
        using var http = new HttpClient();
        var cloner = Cloner(server, http, new ElevenLabsOptions { Endpoint = new Uri(server.BaseAddress, "proxy") });

        await Assert.ThrowsExactlyAsync<ProviderException>(() => cloner.CreateVoiceAsync("Ada", Sample, "audio/mpeg", Token));

        Assert.AreEqual("/proxy/v1/voices/add", server.Requests.Single().Path);
    }

    [TestMethod]
    public async Task WrongApiKeyIsAProviderExceptionWithTheStatusAndTheProvidersReason()
    {
        await using var server = await FakeElevenLabsServer.StartAsync();
        using var http = new HttpClient();
        var cloner = Cloner(server, http, new ElevenLabsOptions { ApiKey = "wrong-key" });

        var error = await Assert.ThrowsExactlyAsync<ProviderException>(() => cloner.CreateVoiceAsync("Ada", Sample, "audio/mpeg", Token));

        Assert.AreEqual(401, error.StatusCode);
        StringAssert.Contains(error.Message, "invalid_api_key");
    }

    [TestMethod]
    public async Task RateLimitIsAProviderExceptionWithRetryAfter()
    {
        await using var server = await FakeElevenLabsServer.StartAsync();
        server.FailNext(1, FakeFailure.TooManyRequests);
        using var http = new HttpClient();

        var error = await Assert.ThrowsExactlyAsync<ProviderException>(() => Cloner(server, http).CreateVoiceAsync("Ada", Sample, "audio/mpeg", Token));

        Assert.AreEqual(429, error.StatusCode);
        Assert.AreEqual(TimeSpan.FromSeconds(2), error.RetryAfter);
    }

    [TestMethod]
    public async Task ServerErrorIsAProviderException()
    {
        await using var server = await FakeElevenLabsServer.StartAsync();
        using var http = new HttpClient();
        var cloner = Cloner(server, http);
        var voiceId = await cloner.CreateVoiceAsync("Ada", Sample, "audio/mpeg", Token);
        server.FailNext(1, FakeFailure.ServerError);

        var error = await Assert.ThrowsExactlyAsync<ProviderException>(() => cloner.RenderSampleAsync(voiceId, "Hello.", Token));

        Assert.AreEqual(500, error.StatusCode);
        Assert.IsNull(error.RetryAfter);
    }

    [TestMethod]
    public async Task AnswerSlowerThanTheTimeoutIsAProviderException()
    {
        await using var server = await FakeElevenLabsServer.StartAsync();
        server.FailNext(1, FakeFailure.Hang);
        using var http = new HttpClient();

        var error = await Assert.ThrowsExactlyAsync<ProviderException>(
            () => Cloner(server, http, new ElevenLabsOptions { TimeoutSeconds = 1 }).CreateVoiceAsync("Ada", Sample, "audio/mpeg", Token));

        Assert.IsNull(error.StatusCode);
    }

    [TestMethod]
    public async Task CancellationByTheCallerIsNotAProviderException()
    {
        await using var server = await FakeElevenLabsServer.StartAsync();
        server.FailNext(1, FakeFailure.Hang);
        using var http = new HttpClient();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAsync<OperationCanceledException>(
            () => Cloner(server, http).CreateVoiceAsync("Ada", Sample, "audio/mpeg", cancellation.Token));
    }

    [TestMethod]
    public async Task HtmlPageInsteadOfAVoiceIsAProviderException()
    {
        await using var server = await FakeElevenLabsServer.StartAsync();
        server.FailNext(1, FakeFailure.Html);
        using var http = new HttpClient();

        await Assert.ThrowsExactlyAsync<ProviderException>(() => Cloner(server, http).CreateVoiceAsync("Ada", Sample, "audio/mpeg", Token));
    }

    [TestMethod]
    public async Task HtmlPageInsteadOfSpeechIsAProviderException()
    {
        await using var server = await FakeElevenLabsServer.StartAsync();
        using var http = new HttpClient();
        var cloner = Cloner(server, http);
        var voiceId = await cloner.CreateVoiceAsync("Ada", Sample, "audio/wav", Token);
        server.FailNext(1, FakeFailure.Html);

        await Assert.ThrowsExactlyAsync<ProviderException>(() => cloner.RenderSampleAsync(voiceId, "Hello.", Token));
    }

    private static ElevenLabsVoiceCloner Cloner(FakeElevenLabsServer server, HttpClient http, ElevenLabsOptions? settings = null)
    {
        var options = settings ?? new ElevenLabsOptions();
        if (options.Endpoint.Host == "api.elevenlabs.io")
        {
            options.Endpoint = server.BaseAddress;
        }
        options.ApiKey ??= server.ApiKey;
        return new ElevenLabsVoiceCloner(http, Options.Create(options), NullLogger<ElevenLabsVoiceCloner>.Instance);
    }
}
