using System.Text.Json;
using Likeness.Shared.Data;
using Likeness.Shared.Indexing;
using Likeness.Shared.Providers;
using Likeness.Testing;

using Pgvector;

namespace LikenessFunctions.Tests;

[TestClass]
public sealed class IndexingPipelineTests
{
    private const string Process = "ProcessIndexingQueue";
    private const string Promote = "PromoteRetryableEvents";
    private const string Sweep = "SweepTimedOutEvents";

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
        var vector = await harness.Vectors.GetVectorByAccountIdAsync(account.Id);
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
    public async Task VectorOfAnotherModelIsCountedAndReEmbeddedOnTheNextIndexThoughItsTextIsUnchanged()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var account = await harness.CreateCompleteAccountAsync();
        await harness.AddImageAsync(account);
        await harness.EnqueueAsync(account.Id);
        await harness.InvokeTimerAsync(Process);
        var content = (await harness.Vectors.GetVectorByAccountIdAsync(account.Id))!.Content;
        var offline = new LikenessSearchVectorAccess(harness.Db.DataSource, OfflineEmbedder.ModelName);
        await offline.VectorUpsertAsync(account.Id, content, await new OfflineEmbedder().EmbedAsync(content, CancellationToken.None));

        StringAssert.Contains(await harness.InvokeTimerAsync(Sweep), $"1 vectors of another model than {harness.Vectors.EmbeddingModel} are left out of semantic search");
        var second = await harness.EnqueueAsync(account.Id, "SOCIAL_DATA");
        await harness.InvokeTimerAsync(Process);

        Assert.AreEqual(QueueStatus.Completed, (await harness.EventAsync(second)).Status);
        Assert.HasCount(2, harness.Ai.EmbeddingRequests);
        var vector = await harness.Vectors.GetVectorByAccountIdAsync(account.Id);
        Assert.AreEqual((content, harness.Vectors.EmbeddingModel), (vector!.Content, vector.EmbeddingModel));
        Assert.IsNull(await offline.GetVectorByAccountIdAsync(account.Id));
        Assert.DoesNotContain("vectors of another model", await harness.InvokeTimerAsync(Sweep));
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
        Assert.AreEqual("removed from search: account has no servable profile image; account has no approved IP term", completed.Info!.Value.GetProperty("result").GetString());
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
    public async Task FiveRetriesThenTheSixthFailureLeadsToFailedWithTheErrorRecorded()
    {
        const int attempts = LikenessNeedIndexingQueueAccess.MaxRetryCount + 1;
        await using var harness = await PipelineHarness.StartAsync();
        var account = await harness.CreateCompleteAccountAsync();
        await harness.AddImageAsync(account, new SearchAttributes { Gender = Gender.Male });
        var eventId = await harness.EnqueueAsync(account.Id);
        harness.Ai.FailNext(attempts, FakeFailure.ServerError);

        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            await harness.InvokeTimerAsync(Promote);
            await harness.InvokeTimerAsync(Process);
            Assert.AreEqual(attempt < attempts ? QueueStatus.AwaitingRetry : QueueStatus.Failed, (await harness.EventAsync(eventId)).Status, $"after attempt {attempt}");
        }

        var failed = await harness.EventAsync(eventId);
        Assert.AreEqual((QueueStatus.Failed, LikenessNeedIndexingQueueAccess.MaxRetryCount), (failed.Status, failed.RetryCount));
        StringAssert.Contains(failed.Info!.Value.GetProperty("error").GetString(), "ProviderException");
        Assert.HasCount(attempts, harness.Ai.EmbeddingRequests);
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
    public async Task SocialDataEventIndexesVerificationEngagementAndTheNewestFollowerCountsFromScrapes()
    {
        await using var harness = await PipelineHarness.StartAsync(new() { ["AI__Endpoint"] = "" });
        var account = await harness.CreateCompleteAccountAsync();
        await harness.AddImageAsync(account, new SearchAttributes { HairColor = HairColor.Red });
        var links = new AccountSocialLinksAccess(harness.Db.DataSource);
        var scrapes = new ScrapesAccess(harness.Db.DataSource);
        // Instagram was scraped before its link was updated, so the link's count stands; TikTok's scrape is newer and wins.
        await scrapes.UpsertScrapeAsync(new NewScrape(account.Id, "https://instagram.com/t", Followers: 1, RawData: JsonElement.Parse("""{"isVerified":false,"engagementRate":2}""")));
        await links.UpsertSocialLinkAsync(new NewAccountSocialLink(account.Id, Platform.Instagram, "https://instagram.com/t", 3_000));
        await links.UpsertSocialLinkAsync(new NewAccountSocialLink(account.Id, Platform.TikTok, "https://tiktok.com/@t", 10));
        await scrapes.UpsertScrapeAsync(new NewScrape(account.Id, "https://tiktok.com/@t", Followers: 1_000, RawData: JsonElement.Parse("""{"isVerified":true,"engagementRate":6}""")));
        var eventId = await harness.EnqueueAsync(account.Id, "SOCIAL_DATA");

        await harness.InvokeTimerAsync(Process);

        Assert.AreEqual(QueueStatus.Completed, (await harness.EventAsync(eventId)).Status);
        var row = (await new LikenessSearchAccess(harness.Db.DataSource).GetSearchIndexByAccountIdAsync(account.Id))!.Attributes;
        Assert.AreEqual((4_000L, Platform.Instagram, (bool?)true), (row.NumberOfFollowers, row.PrimaryPlatform, row.IsVerified));
        Assert.AreEqual(3.0, row.EngagementRate!.Value, 1e-9, "(2 x 3000 + 6 x 1000) / 4000");
        Assert.AreEqual(HairColor.Red, row.HairColor);
    }

    [TestMethod]
    public async Task HeightWeightAndBirthYearAreReadFromTheDescription()
    {
        await using var harness = await PipelineHarness.StartAsync(new() { ["AI__Endpoint"] = "" });
        var account = await harness.CreateCompleteAccountAsync("Actress and model based in London. 5'9\", 62 kg, born 1996.");
        await harness.AddImageAsync(account, new SearchAttributes { BirthYear = 1990, EyeColor = EyeColor.Blue });
        var eventId = await harness.EnqueueAsync(account.Id, "PROFILE_DESCRIPTION");

        await harness.InvokeTimerAsync(Process);

        Assert.AreEqual(QueueStatus.Completed, (await harness.EventAsync(eventId)).Status);
        var row = (await new LikenessSearchAccess(harness.Db.DataSource).GetSearchIndexByAccountIdAsync(account.Id))!.Attributes;
        Assert.AreEqual((175, 62, 1996, EyeColor.Blue), (row.Height, row.Weight, row.BirthYear, row.EyeColor));
    }

    [TestMethod]
    public async Task EachVoiceAssetGetsItsOwnCloneAndSampleAndReindexingMakesNoNewClone()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.Ai.ChatAnswer = """{"voicePitch":"LOW"}""";
        var account = await harness.CreateCompleteAccountAsync();
        await new IpTermsAccess(harness.Db.DataSource).CreateIpTermAsync(account.Id, IpTermType.VoiceOver, IpTermStatus.Approved);
        var first = await harness.AddVoiceAsync(account);
        var second = await harness.AddVoiceAsync(account);
        await harness.EnqueueAsync(account.Id, "VOICE_ASSET");
        await harness.InvokeTimerAsync(Process);

        var again = await harness.EnqueueAsync(account.Id, "VOICE_ASSET");
        await harness.InvokeTimerAsync(Process);

        Assert.AreEqual(QueueStatus.Completed, (await harness.EventAsync(again)).Status);
        var assets = new LikenessAssetsAccess(harness.Db.DataSource);
        var voiced = new[] { (await assets.GetAssetByIdAsync(first.Id))!, (await assets.GetAssetByIdAsync(second.Id))! };
        var clones = await new ElevenLabsAccess(harness.Db.DataSource).ListVoicesByAccountIdAsync(account.Id);
        Assert.HasCount(2, clones);
        Assert.HasCount(2, harness.Voices.Voices, "no clone was made twice");
        CollectionAssert.AreEquivalent(clones.Select(v => v.VoiceId).ToArray(), voiced.Select(a => a.VoiceId).ToArray());
        foreach (var asset in voiced)
        {
            Assert.AreEqual(clones.Single(v => v.VoiceId == asset.VoiceId).VoiceExample, asset.VoiceSampleUrl);
        }
        Assert.AreNotEqual(voiced[0].VoiceSampleUrl, voiced[1].VoiceSampleUrl, "no sample is shown twice");
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
