using Likeness.Shared.Data;
using Likeness.Shared.Indexing;
using Likeness.Testing;

using Pgvector;

namespace LikenessFunctions.Tests;

[TestClass]
public sealed class IndexingPipelineTests
{
    private const string Process = "ProcessIndexingQueue";
    private const string Promote = "PromoteRetryableEvents";

    [TestMethod]
    public async Task EventForACompleteAccountEndsCompletedWithItsSearchRowAndVector()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var account = await harness.CreateCompleteAccountAsync();
        await harness.AddImageAsync(account);
        var links = new AccountSocialLinksAccess(harness.Db.DataSource);
        await links.UpsertSocialLinkAsync(new NewAccountSocialLink(account.Id, Platform.Instagram, "https://instagram.com/t", 1_000));
        await links.UpsertSocialLinkAsync(new NewAccountSocialLink(account.Id, Platform.TikTok, "https://tiktok.com/@t", 50_000));
        var eventId = await harness.EnqueueAsync(account.Id);

        await harness.InvokeTimerAsync(Process);

        Assert.AreEqual(QueueStatus.Completed, (await harness.EventAsync(eventId)).Status);
        var row = await new LikenessSearchAccess(harness.Db.DataSource).GetSearchIndexByAccountIdAsync(account.Id);
        Assert.AreEqual(new SearchAttributes
        {
            Gender = Gender.Female,
            HairColor = HairColor.Blonde,
            EyeColor = EyeColor.Green,
            HasTattoos = true,
            NumberOfFollowers = 51_000,
            PrimaryPlatform = Platform.TikTok,
        }, row!.Attributes);
        var vector = await new LikenessSearchVectorAccess(harness.Db.DataSource).GetVectorByAccountIdAsync(account.Id);
        Assert.AreEqual(TagText.Normalize(row.Attributes), vector!.Content);
        Assert.AreEqual(Embedding.Dimensions, vector.Embedding.Memory.Length);
        Assert.AreEqual(vector.Content, harness.Ai.EmbeddingRequests.Single().Json["input"]!.GetValue<string>());
        var asset = (await new LikenessAssetsAccess(harness.Db.DataSource).ListAssetsByAccountIdAsync(account.Id)).Single();
        Assert.AreEqual(HairColor.Blonde, asset.SearchTags!.HairColor);
    }

    [TestMethod]
    public async Task ReindexingUnchangedTagsKeepsTheEmbeddingWithoutCallingTheModel()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var account = await harness.CreateCompleteAccountAsync();
        await harness.AddImageAsync(account);
        await harness.EnqueueAsync(account.Id);
        await harness.InvokeTimerAsync(Process);

        var second = await harness.EnqueueAsync(account.Id, "SOCIAL_DATA");
        await harness.InvokeTimerAsync(Process);

        Assert.AreEqual(QueueStatus.Completed, (await harness.EventAsync(second)).Status);
        Assert.HasCount(1, harness.Ai.EmbeddingRequests);
        Assert.HasCount(1, harness.Ai.ChatRequests);
    }

    [TestMethod]
    public async Task AccountMissingItsBaseRequirementsIsRemovedFromBothIndexes()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var account = await new AccountsAccess(harness.Db.DataSource).CreateAccountAsync(new NewAccount("talent-" + NanoId.New(), "No Terms", "a-ab12.jpg", null));
        await new LikenessSearchAccess(harness.Db.DataSource).UpsertSearchIndexAsync(account.Id, new SearchAttributes { Gender = Gender.Male });
        await new LikenessSearchVectorAccess(harness.Db.DataSource).VectorUpsertAsync(account.Id, "gender: male", new Vector(FakeOpenAiServer.VectorFor("x", Embedding.Dimensions)));
        var eventId = await harness.EnqueueAsync(account.Id, "LIKENESS_TERM");

        await harness.InvokeTimerAsync(Process);

        var completed = await harness.EventAsync(eventId);
        Assert.AreEqual(QueueStatus.Completed, completed.Status);
        Assert.AreEqual("removed from search: account has no approved IP term", completed.Info!.Value.GetProperty("result").GetString());
        Assert.IsNull(await new LikenessSearchAccess(harness.Db.DataSource).GetSearchIndexByAccountIdAsync(account.Id));
        Assert.IsNull(await new LikenessSearchVectorAccess(harness.Db.DataSource).GetVectorByAccountIdAsync(account.Id));
    }

    [TestMethod]
    public async Task DuplicateEventsForOneAccountAreDiscardedByTheRunThatIndexesIt()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var account = await harness.CreateCompleteAccountAsync();
        var events = new List<string>();
        foreach (var elementType in new[] { "IMAGE_ASSET", "SOCIAL_DATA", "PROFILE_DESCRIPTION" })
        {
            events.Add(await harness.EnqueueAsync(account.Id, elementType));
        }

        await harness.InvokeTimerAsync(Process);

        var statuses = new List<QueueStatus>();
        foreach (var id in events)
        {
            statuses.Add((await harness.EventAsync(id)).Status);
        }
        CollectionAssert.AreEqual(new[] { QueueStatus.Completed, QueueStatus.Discarded, QueueStatus.Discarded }, statuses);
    }

    [TestMethod]
    public async Task ProviderFailureLeadsToAwaitingRetryThenSuccess()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var account = await harness.CreateCompleteAccountAsync();
        await harness.AddImageAsync(account);
        var eventId = await harness.EnqueueAsync(account.Id);
        harness.Ai.FailNext(1, FakeFailure.TooManyRequests);

        await harness.InvokeTimerAsync(Process);

        var waiting = await harness.EventAsync(eventId);
        Assert.AreEqual((QueueStatus.AwaitingRetry, 1), (waiting.Status, waiting.RetryCount));
        StringAssert.Contains(waiting.Info!.Value.GetProperty("error").GetString(), "ProviderException");
        Assert.IsGreaterThanOrEqualTo(DateTimeOffset.UtcNow.AddSeconds(1), waiting.RetryAt!.Value, "Retry-After is honoured");

        await harness.Db.ScalarAsync("UPDATE likeness_need_indexing_queue SET retry_at = now() WHERE id = $1", eventId);
        StringAssert.Contains(await harness.InvokeTimerAsync(Promote), "promoted 1");
        await harness.InvokeTimerAsync(Process);

        Assert.AreEqual(QueueStatus.Completed, (await harness.EventAsync(eventId)).Status);
        Assert.AreEqual(1, (await new LikenessAssetsAccess(harness.Db.DataSource).ListAssetsByAccountIdAsync(account.Id)).Single().TagAttemptCount);
    }

    [TestMethod]
    public async Task FiveFailuresLeadToFailedWithTheErrorRecorded()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var account = await harness.CreateCompleteAccountAsync();
        await harness.AddImageAsync(account, new SearchAttributes { Gender = Gender.Male });
        var eventId = await harness.EnqueueAsync(account.Id);
        harness.Ai.FailNext(LikenessNeedIndexingQueueAccess.MaxRetryCount, FakeFailure.ServerError);

        for (var attempt = 1; attempt <= LikenessNeedIndexingQueueAccess.MaxRetryCount; attempt++)
        {
            await harness.InvokeTimerAsync(Promote);
            await harness.InvokeTimerAsync(Process);
        }

        var failed = await harness.EventAsync(eventId);
        Assert.AreEqual((QueueStatus.Failed, LikenessNeedIndexingQueueAccess.MaxRetryCount), (failed.Status, failed.RetryCount));
        StringAssert.Contains(failed.Info!.Value.GetProperty("error").GetString(), "ProviderException");
        Assert.HasCount(LikenessNeedIndexingQueueAccess.MaxRetryCount, harness.Ai.EmbeddingRequests);
    }

    [TestMethod]
    public async Task AssetThatFailsFiveTimesStopsBeingRetriedAndTheAccountIsIndexedWithoutIt()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var account = await harness.CreateCompleteAccountAsync();
        var broken = await harness.AddImageAsync(account);
        await harness.AddImageAsync(account, new SearchAttributes { EyeColor = EyeColor.Hazel });
        var eventId = await harness.EnqueueAsync(account.Id);
        harness.Ai.ChatAnswer = "this is not JSON";

        for (var run = 0; run < AssetTagger.MaxTagAttempts; run++)
        {
            await harness.InvokeTimerAsync(Promote);
            await harness.InvokeTimerAsync(Process);
        }
        var chatCalls = harness.Ai.ChatRequests.Count;
        var later = await harness.EnqueueAsync(account.Id);
        await harness.InvokeTimerAsync(Process);

        var asset = await new LikenessAssetsAccess(harness.Db.DataSource).GetAssetByIdAsync(broken.Id);
        Assert.AreEqual(AssetTagger.MaxTagAttempts, asset!.TagAttemptCount);
        Assert.IsNull(asset.SearchTags);
        Assert.AreEqual(AssetTagger.MaxTagAttempts, chatCalls);
        Assert.AreEqual(chatCalls, harness.Ai.ChatRequests.Count, "an asset that used its attempts is not sent again");
        Assert.AreEqual(QueueStatus.Completed, (await harness.EventAsync(eventId)).Status);
        Assert.AreEqual(QueueStatus.Completed, (await harness.EventAsync(later)).Status);
        var row = await new LikenessSearchAccess(harness.Db.DataSource).GetSearchIndexByAccountIdAsync(account.Id);
        Assert.AreEqual(EyeColor.Hazel, row!.Attributes.EyeColor);
    }

    [TestMethod]
    public async Task VoiceAssetOfAnAccountWithAnApprovedVoiceOverTermGetsACloneAndASample()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.Ai.ChatAnswer = """{"voicePitch":"LOW","voiceTone":"WARM","accent":"BRITISH_RP","primaryLanguage":"ENGLISH"}""";
        var account = await harness.CreateCompleteAccountAsync();
        await new IpTermsAccess(harness.Db.DataSource).CreateIpTermAsync(account.Id, IpTermType.VoiceOver, IpTermStatus.Approved);
        var voiceAsset = await harness.AddVoiceAsync(account);
        var eventId = await harness.EnqueueAsync(account.Id, "VOICE_ASSET");

        await harness.InvokeTimerAsync(Process);

        Assert.AreEqual(QueueStatus.Completed, (await harness.EventAsync(eventId)).Status);
        var voice = (await new ElevenLabsAccess(harness.Db.DataSource).ListVoicesByAccountIdAsync(account.Id)).Single();
        Assert.IsTrue(harness.Voices.Voices.ContainsKey(voice.VoiceId));
        var asset = await new LikenessAssetsAccess(harness.Db.DataSource).GetAssetByIdAsync(voiceAsset.Id);
        Assert.AreEqual(voice.VoiceExample, asset!.VoiceSampleUrl);
        var sample = await harness.Media.ReadAsync(asset.VoiceSampleUrl!, CancellationToken.None);
        Assert.AreEqual("audio/mpeg", sample!.Value.ContentType);
        StringAssert.StartsWith(sample.Value.Content.ToString(), "ID3 fake speech|" + voice.VoiceId);
        var row = await new LikenessSearchAccess(harness.Db.DataSource).GetSearchIndexByAccountIdAsync(account.Id);
        Assert.AreEqual((VoicePitch.Low, Accent.BritishRp), (row!.Attributes.VoicePitch, row.Attributes.Accent));
    }

    [TestMethod]
    public async Task WithoutAnyProviderConfiguredTheOfflineEmbedderIndexesExistingTags()
    {
        await using var harness = await PipelineHarness.StartAsync(new() { ["AI__Endpoint"] = "", ["ElevenLabs__ApiKey"] = "" });
        var account = await harness.CreateCompleteAccountAsync();
        await harness.AddImageAsync(account, new SearchAttributes { HairColor = HairColor.Red });
        await harness.AddImageAsync(account);
        var eventId = await harness.EnqueueAsync(account.Id);

        await harness.InvokeTimerAsync(Process);

        Assert.AreEqual(QueueStatus.Completed, (await harness.EventAsync(eventId)).Status);
        var vector = await new LikenessSearchVectorAccess(harness.Db.DataSource).GetVectorByAccountIdAsync(account.Id);
        Assert.AreEqual("hair color: red", vector!.Content);
        Assert.IsEmpty(harness.Ai.Requests);
    }
}
