using System.Globalization;
using System.Net;
using System.Text.Json;
using Likeness.Testing;

namespace LikenessFunctions.Tests;

/// <summary>
/// Plain-language briefs in <c>q</c>, over real HTTP, against the demo catalogue as
/// <c>LikenessOps seed</c> writes it and the indexing timer indexes it (default offline
/// configuration), and against a fake Azure OpenAI for the chat-model reader.
/// </summary>
[TestClass]
public sealed class BriefSearchTests
{
    private const string Search = "/api/likeness/search";

    private static TestDatabase db = null!;
    private static AppProcess app = null!;

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Token => TestContext.CancellationToken;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext context)
    {
        db = await TestDatabase.CreateAsync(context.CancellationToken);
        var (exitCode, output) = await AppProcess.RunCommandAsync(db.ConnectionString, "seed", "--accounts", "300");
        Assert.AreEqual(0, exitCode, output);
        app = await AppProcess.StartAsync(db.ConnectionString);
        while ((long)(await db.ScalarAsync("SELECT count(*) FROM likeness_need_indexing_queue WHERE status = 'PENDING'"))! > 0)
        {
            await app.InvokeAsync("ProcessIndexingQueue");
        }
    }

    [ClassCleanup]
    public static async Task CleanupAsync()
    {
        await app.DisposeAsync();
        await using (var command = db.DataSource.CreateCommand("SELECT s3_bucket, s3_key FROM media"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                await TestStorage.Service.GetBlobContainerClient(reader.GetString(0)).GetBlobClient(reader.GetString(1)).DeleteIfExistsAsync();
            }
        }
        await db.DisposeAsync();
    }

    [TestMethod]
    public async Task TheFreeTextExampleOfLikenessHttpFindsCurlyRedHairedFitnessCreatorsWithTheirImages()
    {
        var page = await GetOkAsync(app, $"{Search}?q=curly+red+hair+fitness+creator&assetType=IMAGE");

        var interpreted = page.GetProperty("interpreted");
        Assert.AreEqual(
            """{"category":["CREATORS"],"contentNiche":["FITNESS"],"hairColor":["RED"],"hairType":["CURLY"]}""",
            interpreted.GetProperty("filters").GetRawText());
        Assert.AreEqual("local", interpreted.GetProperty("parser").GetString());
        Assert.IsFalse(interpreted.TryGetProperty("remainingText", out _));
        var results = page.GetProperty("results").EnumerateArray().ToList();
        Assert.IsNotEmpty(results);
        // Few demo accounts have all four (red and curly are rare); the nearest share most of them.
        var wanted = new[] { ("category", "CREATORS"), ("contentNiche", "FITNESS"), ("hairColor", "RED"), ("hairType", "CURLY") };
        Assert.IsGreaterThanOrEqualTo(2, Shared(results[0], wanted));
        Assert.IsTrue(results.All(r => r.GetProperty("images").GetArrayLength() > 0));
    }

    [TestMethod]
    public async Task ANegatedAttributeExcludesTheAccountsThatHaveIt()
    {
        var expected = await CountAsync("SELECT count(*) FROM likeness_search WHERE gender = 'FEMALE' AND wear_glasses = false");

        var page = await GetOkAsync(app, $"{Search}?q=woman+without+glasses&limit=100");

        Assert.AreEqual("""{"gender":["FEMALE"],"wearGlasses":false}""", page.GetProperty("interpreted").GetProperty("filters").GetRawText());
        Assert.IsGreaterThan(0L, expected);
        Assert.AreEqual(expected, page.GetProperty("total").GetInt64());
        Assert.IsTrue(page.GetProperty("results").EnumerateArray()
            .All(r => r.GetProperty("attributes") is var a && !a.GetProperty("wearGlasses").GetBoolean() && a.GetProperty("gender").GetString() == "FEMALE"));
    }

    [TestMethod]
    public async Task AnExplicitFilterWinsOverTheSameAttributeInTheTextAndTheOthersStillApply()
    {
        var expected = await CountAsync("SELECT count(*) FROM likeness_search WHERE hair_color = 'BROWN' AND gender = 'FEMALE'");

        var page = await GetOkAsync(app, $"{Search}?q=blonde+woman&hairColor=BROWN&limit=100");

        Assert.AreEqual("""{"gender":["FEMALE"],"hairColor":["BLONDE"]}""", page.GetProperty("interpreted").GetProperty("filters").GetRawText());
        Assert.AreEqual(expected, page.GetProperty("total").GetInt64());
        Assert.IsTrue(page.GetProperty("results").EnumerateArray()
            .Where(r => r.GetProperty("match").GetString() == "exact")
            .All(r => r.GetProperty("attributes").GetProperty("hairColor").GetString() == "BROWN"));
    }

    [TestMethod]
    public async Task WordsThatNameNoAttributeAreReportedAndSearchedSemantically()
    {
        var page = await GetOkAsync(app, $"{Search}?q=deep+voice+with+a+British+accent,+skateboarding");

        var interpreted = page.GetProperty("interpreted");
        Assert.AreEqual("skateboarding", interpreted.GetProperty("remainingText").GetString());
        Assert.AreEqual("""{"voicePitch":["LOW","VERY_LOW"],"accent":["BRITISH_RP","BRITISH_REGIONAL"]}""", interpreted.GetProperty("filters").GetRawText());
    }

    [TestMethod]
    public async Task ABriefWithNoExactMatchReturnsPartialMatchesMostAttributesFirstEachSayingWhatItMatches()
    {
        // Before partial matches this brief returned nothing: no demo account has all four.
        var exact = await CountAsync("SELECT count(*) FROM likeness_search WHERE category = 'CREATORS' AND primary_platform = 'TIKTOK' AND is_verified AND content_niche = 'COMEDY'");
        var partial = await CountAsync("""
            SELECT count(*) FROM likeness_search WHERE category = 'CREATORS'
              AND (primary_platform = 'TIKTOK' OR is_verified OR content_niche = 'COMEDY')
            """);
        Assert.AreEqual(0L, exact);

        var (pages, results) = await WalkAsync($"{Search}?q=verified+TikTok+comedy+creator&limit=4");

        var last = pages[^1];
        Assert.AreEqual(0L, last.GetProperty("total").GetInt64());
        Assert.AreEqual(partial, last.GetProperty("partialTotal").GetInt64());
        Assert.IsGreaterThan(4L, partial, "enough for more than one page");
        Assert.AreEqual(results.Count, results.Select(r => r.GetProperty("accountId").GetString()).Distinct().Count(), "no account twice");
        Assert.AreEqual(partial + last.GetProperty("semanticTotal").GetInt64(), results.Count, "none skipped");
        var partials = results.TakeWhile(r => r.GetProperty("match").GetString() == "partial").ToList();
        Assert.HasCount((int)partial, partials);
        Assert.IsTrue(results.Skip(partials.Count).All(r => r.GetProperty("match").GetString() == "semantic"));
        var matched = partials.Select(r => Names(r, "matched")).ToList();
        Assert.IsTrue(matched.All(m => m.Contains("category") && m.Count is 2 or 3), string.Join("; ", matched.Select(m => string.Join(",", m))));
        Assert.IsTrue(partials.All(r => Names(r, "unmatched").Count == 4 - Names(r, "matched").Count));
        CollectionAssert.AreEqual(matched.Select(m => m.Count).OrderDescending().ToList(), matched.Select(m => m.Count).ToList(), "most attributes first");
    }

    [TestMethod]
    public async Task PartialMatchesHonourTheStrictFiltersTheDefaultOnesOrTheRequestsOwn()
    {
        const string Brief = "q=Hispanic+mom+creator+with+wavy+brown+hair&limit=100";
        var byCategory = await CountAsync("""
            SELECT count(*) FROM likeness_search WHERE category = 'CREATORS'
              AND (CASE WHEN gender = 'FEMALE' THEN 1 ELSE 0 END + CASE WHEN content_niche = 'PARENTING' THEN 1 ELSE 0 END
                 + CASE WHEN hair_color = 'BROWN' THEN 1 ELSE 0 END + CASE WHEN hair_type = 'WAVY' THEN 1 ELSE 0 END
                 + CASE WHEN ethnicity = 'HISPANIC' THEN 1 ELSE 0 END) BETWEEN 1 AND 4
            """);

        var byDefault = await GetOkAsync(app, $"{Search}?{Brief}");
        var (ownPages, own) = await WalkAsync($"{Search}?{Brief}&strict=category");

        var results = byDefault.GetProperty("results").EnumerateArray().ToList();
        Assert.IsNotEmpty(results);
        Assert.AreEqual(0L, byDefault.GetProperty("total").GetInt64());
        Assert.IsTrue(results.All(r => r.GetProperty("attributes") is var a
            && a.GetProperty("category").GetString() == "CREATORS" && a.GetProperty("gender").GetString() == "FEMALE"));
        Assert.AreEqual(byCategory, ownPages[^1].GetProperty("partialTotal").GetInt64());
        var ownPartials = own.Where(r => r.GetProperty("match").GetString() == "partial").ToList();
        Assert.IsTrue(ownPartials.All(r => r.GetProperty("attributes").GetProperty("category").GetString() == "CREATORS"));
        Assert.IsTrue(ownPartials.Any(r => r.GetProperty("unmatched").EnumerateArray().Any(n => n.GetString() == "gender")), "gender is no longer strict");
    }

    [TestMethod]
    public async Task WithAzureOpenAIConfiguredTheChatModelReadsTheBriefAndFailuresOrSlownessFallBackToTheLocalParser()
    {
        await using var openAi = await FakeOpenAiServer.StartAsync();
        await using var aiApp = await AppProcess.StartAsync(db.ConnectionString, new Dictionary<string, string>
        {
            ["AI__Endpoint"] = openAi.Endpoint.ToString(),
            ["AI__ApiKey"] = "test-key",
            ["AI__MaxRetries"] = "0",
            ["Search__Briefs__UseAzureOpenAI"] = "true",
            // Long enough for a first call on a loaded machine, short of the fake's hang.
            ["Search__Briefs__Timeout"] = "00:00:05",
            ["Search__Timeout"] = "00:01:00",
        });
        openAi.ChatAnswer = """{"hairColor":["RED"],"hasTattoos":true,"minHeight":170,"remainingText":"punk look","gender":null}""";
        var expected = await CountAsync("SELECT count(*) FROM likeness_search WHERE hair_color = 'RED' AND has_tattoos AND height >= 170");

        var model = await GetOkAsync(aiApp, $"{Search}?q=tall+tattooed+redhead+with+a+punk+look&limit=100");
        openAi.FailNext(1, FakeFailure.ServerError);
        var failed = await GetOkAsync(aiApp, $"{Search}?q=tattooed+redhead");
        openAi.FailNext(1, FakeFailure.Hang);
        var slow = await GetOkAsync(aiApp, $"{Search}?q=tattooed+redhead");

        var interpreted = model.GetProperty("interpreted");
        Assert.AreEqual("azure-openai", interpreted.GetProperty("parser").GetString(), aiApp.Output);
        Assert.AreEqual("""{"minHeight":170,"hairColor":["RED"],"hasTattoos":true}""", interpreted.GetProperty("filters").GetRawText());
        Assert.AreEqual("punk look", interpreted.GetProperty("remainingText").GetString());
        Assert.AreEqual(expected, model.GetProperty("total").GetInt64());
        var schema = openAi.ChatRequests[0].Json["response_format"]!["json_schema"]!;
        Assert.IsTrue(schema["strict"]!.GetValue<bool>());
        Assert.AreEqual("VERY_LOW", schema["schema"]!["properties"]!["voicePitch"]!["items"]!["enum"]![4]!.GetValue<string>());
        foreach (var fallback in new[] { failed, slow })
        {
            Assert.AreEqual("local", fallback.GetProperty("interpreted").GetProperty("parser").GetString());
            Assert.AreEqual("""{"hairColor":["RED"],"hasTattoos":true}""", fallback.GetProperty("interpreted").GetProperty("filters").GetRawText());
        }
        Assert.AreEqual(3, openAi.ChatRequests.Count);
    }

    /// <summary>Every page of the search by <c>nextOffset</c>, and all their results in order.</summary>
    private async Task<(List<JsonElement> Pages, List<JsonElement> Results)> WalkAsync(string url)
    {
        var pages = new List<JsonElement> { await GetOkAsync(app, url) };
        while (pages[^1].GetProperty("hasMore").GetBoolean())
        {
            pages.Add(await GetOkAsync(app, $"{url}&offset={pages[^1].GetProperty("nextOffset").GetInt32()}"));
        }
        return (pages, [.. pages.SelectMany(p => p.GetProperty("results").EnumerateArray())]);
    }

    private static List<string> Names(JsonElement result, string property) =>
        [.. result.GetProperty(property).EnumerateArray().Select(n => n.GetString()!)];

    private static int Shared(JsonElement result, params (string Name, string Label)[] wanted) =>
        wanted.Count(w => result.GetProperty("attributes").TryGetProperty(w.Name, out var value) && value.GetString() == w.Label);

    private static async Task<long> CountAsync(string sql) =>
        Convert.ToInt64(await db.ScalarAsync(sql), CultureInfo.InvariantCulture);

    private async Task<JsonElement> GetOkAsync(AppProcess target, string url)
    {
        using var response = await target.Client.GetAsync(url, Token);
        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
