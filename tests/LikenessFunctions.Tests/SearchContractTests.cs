using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Likeness.Shared.Data;
using Likeness.Testing;

namespace LikenessFunctions.Tests;

/// <summary>
/// What the frontend builds on (issue "a search API the frontend can build on"): strict filters,
/// why a semantic result is there, paging, servable media only, media URLs, one error shape.
/// </summary>
[TestClass]
public sealed class SearchContractTests
{
    private const string Search = "/api/likeness/search";
    private static TestDatabase db = null!;
    private static AppProcess app = null!;
    private static Account redWoman = null!;
    private static Account brownWoman = null!;
    private static Account redMan = null!;
    private static Account redActress = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext context)
    {
        db = await TestDatabase.CreateAsync(context.CancellationToken);
        var woman = new SearchAttributes { Category = Category.Models, Gender = Gender.Female, Country = Country.Ireland, HairColor = HairColor.Red, NumberOfFollowers = 900 };
        redWoman = await SearchTestData.IndexedAccountAsync(db.DataSource, woman);
        brownWoman = await SearchTestData.IndexedAccountAsync(db.DataSource, woman with { HairColor = HairColor.Brown, NumberOfFollowers = 800 });
        redMan = await SearchTestData.IndexedAccountAsync(db.DataSource, woman with { Gender = Gender.Male, NumberOfFollowers = 700 });
        redActress = await SearchTestData.IndexedAccountAsync(db.DataSource, woman with { Category = Category.Actors, HairType = HairType.Curly, NumberOfFollowers = 600 });
        for (var i = 0; i < 20; i++)
        {
            await SearchTestData.IndexedAccountAsync(db.DataSource, new SearchAttributes
            {
                Category = Category.Models,
                Gender = i % 2 == 0 ? Gender.Female : Gender.Male,
                Country = Country.Ireland,
                HairColor = (HairColor)(i % 4),
                NumberOfFollowers = i % 5 == 0 ? 500 : i,
            });
        }
        // Every account within reach of the query, so the semantic part is the whole pool the strict filters leave.
        app = await AppProcess.StartAsync(db.ConnectionString, new Dictionary<string, string> { ["Search__MaxDistance"] = "2" });
    }

    [ClassCleanup]
    public static async Task CleanupAsync()
    {
        await app.DisposeAsync();
        await db.DisposeAsync();
    }

    [TestMethod]
    public async Task SemanticMatchesKeepTheDefaultStrictFiltersCategoryAndGender()
    {
        var page = await GetAsync($"{Search}?gender=FEMALE&category=MODELS&hairColor=RED&q=red+hair&limit=50");

        var semantic = Semantic(page);
        Assert.IsTrue(semantic.Count > 0, page.ToString());
        Assert.IsTrue(semantic.All(r => Attribute(r, "gender") == "FEMALE" && Attribute(r, "category") == "MODELS"), page.ToString());
        Assert.IsTrue(semantic.Any(r => Id(r) == brownWoman.Id));
        Assert.IsFalse(semantic.Any(r => Id(r) == redMan.Id || Id(r) == redActress.Id));
    }

    [TestMethod]
    public async Task StrictNoneLetsPartialAndSemanticMatchesDifferAndStrictListsNarrowThem()
    {
        var none = Inexact(await GetAsync($"{Search}?gender=FEMALE&category=MODELS&hairColor=RED&q=red&strict=none&limit=50"));
        var hair = Inexact(await PostAsync(new { gender = new[] { "FEMALE" }, category = new[] { "MODELS" }, hairColor = new[] { "RED" }, q = "red", strict = new[] { "hairColor" }, limit = 50 }));

        Assert.IsTrue(none.Any(r => Id(r) == redMan.Id) && none.Any(r => Id(r) == redActress.Id));
        Assert.IsTrue(hair.All(r => Attribute(r, "hairColor") == "RED"));
        Assert.IsTrue(hair.Any(r => Id(r) == redMan.Id));
    }

    [TestMethod]
    public async Task EachSemanticResultSaysWhichRequestedAttributesItMatches()
    {
        var page = await GetAsync($"{Search}?gender=FEMALE&hairColor=RED&q=red&strict=gender&limit=50");

        var brown = Semantic(page).Single(r => Id(r) == brownWoman.Id);
        CollectionAssert.AreEqual(new[] { "gender" }, Names(brown, "matched"));
        CollectionAssert.AreEqual(new[] { "hairColor" }, Names(brown, "unmatched"));
        var exact = page.GetProperty("results").EnumerateArray().First(r => Id(r) == redWoman.Id);
        Assert.IsFalse(exact.TryGetProperty("matched", out _), "exact matches satisfy every filter");
    }

    [TestMethod]
    [DataRow("gender=FEMALE&q=red+hair&limit=3")]
    [DataRow("hairColor=RED,BROWN&q=models&strict=none&limit=4")]
    [DataRow("limit=5")]
    [DataRow("q=red&limit=7")]
    public async Task WalkingThePagesByNextOffsetShowsEveryAccountOnceAndEndsWithTheTotals(string query)
    {
        var seen = new List<string>();
        JsonElement page;
        var offset = 0;
        do
        {
            page = await GetAsync($"{Search}?{query}&offset={offset}");
            seen.AddRange(page.GetProperty("results").EnumerateArray().Select(Id));
            if (page.GetProperty("hasMore").GetBoolean())
            {
                Assert.AreEqual(JsonValueKind.Null, page.GetProperty("semanticTotal").ValueKind, "unknown until the last page");
                offset = page.GetProperty("nextOffset").GetInt32();
            }
        }
        while (page.GetProperty("hasMore").GetBoolean());

        Assert.AreEqual(JsonValueKind.Null, page.GetProperty("nextOffset").ValueKind);
        Assert.AreEqual(seen.Count, seen.Distinct().Count(), string.Join(", ", seen));
        Assert.AreEqual(seen.Count, page.GetProperty("total").GetInt64() + page.GetProperty("partialTotal").GetInt64() + page.GetProperty("semanticTotal").GetInt64());
        var strict = query.Contains("gender=FEMALE", StringComparison.Ordinal) ? "gender = 'FEMALE'" : "true";
        var pool = (long)(await db.ScalarAsync($"SELECT count(*) FROM likeness_search WHERE {strict}"))!;
        Assert.AreEqual(query.Contains("q=", StringComparison.Ordinal) ? pool : page.GetProperty("total").GetInt64(), seen.Count);
    }

    [TestMethod]
    public async Task AnAccountWhoseProfileImageStopsBeingServableLeavesTheResults()
    {
        var filename = MediaFilename.Create("withdrawn.jpg");
        var account = await SearchTestData.IndexedAccountAsync(db.DataSource, new SearchAttributes { Country = Country.Japan, Height = 203 }, filename);
        var before = await UntilAsync($"{Search}?minHeight=203&maxHeight=203", page => page.GetProperty("total").GetInt64() == 1);
        Assert.AreEqual($"/api/media/{filename}", before.GetProperty("results")[0].GetProperty("imageUrl").GetString());

        await TestMedia.SetAsync(db.DataSource, filename, MediaStatus.Uploading);

        var after = await UntilAsync($"{Search}?minHeight=203&maxHeight=203", page => page.GetProperty("total").GetInt64() == 0);
        Assert.IsFalse(after.GetProperty("results").EnumerateArray().Any(r => Id(r) == account.Id), "not even as a semantic match");
        Assert.IsNull(await new LikenessSearchAccess(db.DataSource).GetSearchIndexByAccountIdAsync(account.Id));
    }

    /// <summary>The read model follows a write within its freshness bound: poll until it has.</summary>
    private static async Task<JsonElement> UntilAsync(string path, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var page = await GetAsync(path);
        while (!done(page) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            page = await GetAsync(path);
        }
        Assert.IsTrue(done(page), page.ToString());
        return page;
    }

    [TestMethod]
    public async Task MediaUrlsAreAbsoluteUnderAConfiguredCdn()
    {
        await using var cdn = await AppProcess.StartAsync(db.ConnectionString, new Dictionary<string, string> { ["Search__MediaUrlPrefix"] = "https://cdn.example.com/media/" });

        using var response = await cdn.Client.GetAsync($"{Search}?gender=FEMALE&hairColor=RED&category=MODELS");
        var page = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, cdn.Output);
        Assert.AreEqual($"https://cdn.example.com/media/{SearchTestData.Avatar}", page.GetProperty("results")[0].GetProperty("imageUrl").GetString());
    }

    [TestMethod]
    public async Task EveryClientErrorIsProblemJsonWithTheFieldNamed()
    {
        var tooLong = $"{Search}?q={new string('a', 5000)}";
        var tooLarge = new StringContent($$"""{"q":"{{new string('a', 70 * 1024)}}"}""", Encoding.UTF8, "application/json");
        var plainText = new StringContent("{}", Encoding.UTF8, "text/plain");
        var cases = new (Func<Task<HttpResponseMessage>> Send, HttpStatusCode Status, string Field)[]
        {
            (() => app.Client.GetAsync($"{Search}?hairColor=PURPLE"), HttpStatusCode.BadRequest, "hairColor"),
            (() => app.Client.GetAsync($"{Search}?strict=height,eyeColour"), HttpStatusCode.BadRequest, "strict"),
            (() => app.Client.GetAsync(tooLong), HttpStatusCode.RequestUriTooLong, "query"),
            // The server closes a connection whose body it did not read: keep that away from the shared client.
            (() => app.CreateClient().PostAsync(Search, tooLarge), HttpStatusCode.RequestEntityTooLarge, "body"),
            (() => app.Client.PostAsync(Search, plainText), HttpStatusCode.UnsupportedMediaType, "Content-Type"),
            (() => app.Client.PostAsync("/api/likeness/queue", new StringContent("{}", Encoding.UTF8, "text/plain")), HttpStatusCode.UnsupportedMediaType, "Content-Type"),
            (() => app.Client.GetAsync("/api/likeness/accounts/no-such-account/similar"), HttpStatusCode.NotFound, "accountId"),
            (() => app.Client.GetAsync("/api/likeness/queue/no-such-event"), HttpStatusCode.NotFound, "eventId"),
            (() => app.Client.PostAsJsonAsync("/api/likeness/queue", new { accountId = "no-such-account", elementType = "SOCIAL_DATA" }), HttpStatusCode.NotFound, "accountId"),
        };

        foreach (var (send, status, field) in cases)
        {
            using var response = await send();
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();

            Assert.AreEqual(status, response.StatusCode, $"{field}: {body}");
            Assert.AreEqual("application/problem+json", response.Content.Headers.ContentType!.MediaType, field);
            Assert.IsGreaterThan(0, body.GetProperty("errors").GetProperty(field).GetArrayLength(), body.ToString());
            Assert.IsFalse(string.IsNullOrEmpty(body.GetProperty("title").GetString()));
        }
    }

    private static async Task<JsonElement> GetAsync(string path)
    {
        using var response = await app.Client.GetAsync(path);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, $"{path}: {body}");
        return body;
    }

    private static async Task<JsonElement> PostAsync(object request)
    {
        using var response = await app.Client.PostAsJsonAsync(Search, request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, body.ToString());
        return body;
    }

    /// <summary>The partial and semantic matches: those the strict filters govern.</summary>
    private static List<JsonElement> Inexact(JsonElement page) =>
        [.. page.GetProperty("results").EnumerateArray().Where(r => r.GetProperty("match").GetString() != "exact")];

    private static List<JsonElement> Semantic(JsonElement page) =>
        [.. page.GetProperty("results").EnumerateArray().Where(r => r.GetProperty("match").GetString() == "semantic")];

    private static string Id(JsonElement result) => result.GetProperty("accountId").GetString()!;

    private static string? Attribute(JsonElement result, string name) =>
        result.GetProperty("attributes").TryGetProperty(name, out var value) ? value.GetString() : null;

    private static string[] Names(JsonElement result, string property) =>
        [.. result.GetProperty(property).EnumerateArray().Select(n => n.GetString()!)];
}
