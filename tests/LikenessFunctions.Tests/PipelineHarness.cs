using System.Net.Http.Json;
using System.Text.Json;
using Likeness.Shared.Data;
using Likeness.Shared.Media;
using Likeness.Shared.Providers;
using Likeness.Shared.Storage;
using Likeness.Testing;

namespace LikenessFunctions.Tests;

/// <summary>
/// A private database, fake OpenAI and ElevenLabs servers and the real app wired to them, plus
/// builders for the account data the pipeline reads. Timers run only when a test invokes them,
/// the way the Functions host does.
/// </summary>
public sealed class PipelineHarness : IAsyncDisposable
{
    /// <summary>What the image model answers unless a test says otherwise.</summary>
    public const string ImageTags = """{"gender":"FEMALE","hairColor":"BLONDE","eyeColor":"GREEN","hasTattoos":true}""";

    private readonly List<AppProcess> apps = [];

    private PipelineHarness(TestDatabase db, FakeOpenAiServer ai, FakeElevenLabsServer voices, IReadOnlyDictionary<string, string> settings)
    {
        Db = db;
        Ai = ai;
        Voices = voices;
        Settings = settings;
        // The container the app serves and indexes from: its default, as the harness gives no other.
        Media = new MediaLibrary(new MediaAccess(db.DataSource), TestStorage.Service.GetBlobContainerClient(new BlobStorageOptions().Container));
    }

    public TestDatabase Db { get; }

    public FakeOpenAiServer Ai { get; }

    public FakeElevenLabsServer Voices { get; }

    public IReadOnlyDictionary<string, string> Settings { get; }

    public MediaLibrary Media { get; }

    public AppProcess App => apps[^1];

    public LikenessNeedIndexingQueueAccess Queue => new(Db.DataSource);

    /// <summary>The vectors as the app reads them: of its embedding model, the fake server's default one.</summary>
    public LikenessSearchVectorAccess Vectors => new(Db.DataSource, new AiOptions().EmbeddingModel);

    public static async Task<PipelineHarness> StartAsync(Dictionary<string, string>? extraSettings = null, bool startApp = true)
    {
        var db = await TestDatabase.CreateAsync();
        var ai = await FakeOpenAiServer.StartAsync();
        ai.ChatAnswer = ImageTags;
        var voices = await FakeElevenLabsServer.StartAsync();
        var settings = new Dictionary<string, string>
        {
            ["AI__Endpoint"] = ai.Endpoint.ToString(),
            ["AI__ApiKey"] = "test-key",
            ["AI__MaxRetries"] = "0",
            ["AI__TimeoutSeconds"] = "5",
            ["ElevenLabs__Endpoint"] = voices.BaseAddress.ToString(),
            ["ElevenLabs__ApiKey"] = voices.ApiKey,
            // Retries are due at once, so a test can promote them without waiting.
            ["Indexing__RetryBaseDelay"] = "00:00:00",
        };
        foreach (var (key, value) in extraSettings ?? [])
        {
            settings[key] = value;
        }
        var harness = new PipelineHarness(db, ai, voices, settings);
        if (startApp)
        {
            await harness.StartAppAsync();
        }
        return harness;
    }

    public async Task<AppProcess> StartAppAsync(bool runTimers = false)
    {
        var app = await AppProcess.StartAsync(Db.ConnectionString, Settings, runTimers);
        apps.Add(app);
        return app;
    }

    /// <summary>An account that meets the base requirements: name, servable profile image and an approved term.</summary>
    public async Task<Account> CreateCompleteAccountAsync(string? description = null)
    {
        var avatar = await Media.UploadAsync("avatar.png", "image/png", BinaryData.FromBytes([0x89, 0x50, 0x4E, 0x47, 0]), CancellationToken.None);
        var account = await new AccountsAccess(Db.DataSource).CreateAccountAsync(
            new NewAccount("talent-" + NanoId.New(), "Test Talent", avatar.Filename, description));
        await new IpTermsAccess(Db.DataSource).CreateIpTermAsync(account.Id, IpTermType.Likeness, IpTermStatus.Approved);
        return account;
    }

    public async Task<LikenessAsset> AddImageAsync(Account account, SearchAttributes? tags = null)
    {
        var file = await Media.UploadAsync("photo.png", "image/png", BinaryData.FromBytes([0x89, 0x50, 0x4E, 0x47, 1, 2, 3]), CancellationToken.None);
        return await new LikenessAssetsAccess(Db.DataSource).CreateAssetAsync(new NewLikenessAsset(account.Id, AssetType.Image, file.Filename, tags));
    }

    public async Task<LikenessAsset> AddVoiceAsync(Account account, SearchAttributes? tags = null)
    {
        var file = await Media.UploadAsync("voice.wav", "audio/wav", BinaryData.FromBytes("RIFF0000WAVEfmt "u8.ToArray()), CancellationToken.None);
        return await new LikenessAssetsAccess(Db.DataSource).CreateAssetAsync(new NewLikenessAsset(account.Id, AssetType.Voice, file.Filename, tags));
    }

    /// <summary>Enqueues over HTTP, as the rest of the platform does.</summary>
    public async Task<string> EnqueueAsync(string accountId, string elementType = "IMAGE_ASSET", AppProcess? app = null)
    {
        using var response = await (app ?? App).Client.PostAsJsonAsync("/api/likeness/queue", new { accountId, elementType });
        Assert.AreEqual(System.Net.HttpStatusCode.Accepted, response.StatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>Runs a timer function now, through the host's admin API, and returns its log lines.</summary>
    public Task<string> InvokeTimerAsync(string function, AppProcess? app = null) => (app ?? App).InvokeAsync(function);

    public async Task<QueueEvent> EventAsync(string eventId) => (await Queue.GetEventByIdAsync(eventId))!;

    public async ValueTask DisposeAsync()
    {
        foreach (var app in apps)
        {
            await app.DisposeAsync();
        }
        await Ai.DisposeAsync();
        await Voices.DisposeAsync();
        await Db.DisposeAsync();
    }
}
