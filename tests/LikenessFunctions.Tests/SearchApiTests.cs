using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Likeness.Shared.Data;
using Likeness.Shared.Indexing;
using Likeness.Shared.Providers;
using Likeness.Testing;
using Npgsql;

namespace LikenessFunctions.Tests;

/// <summary>
/// Search and lookalike search over real HTTP, against accounts written into the database the way
/// the indexer leaves them. The data is written once for the class and only read by the tests;
/// every expectation is worked out independently, in SQL or from the data as written.
/// </summary>
[TestClass]
public sealed class SearchApiTests
{
    private const string Search = "/api/likeness/search";

    // Wider than the default, so that the generated accounts, which know most attributes, have
    // semantic neighbours for queries of two or three attributes.
    private const double MaxDistance = 0.7;

    private static readonly OfflineEmbedder Embedder = SearchTestData.Embedder;
    private static TestDatabase db = null!;
    private static AppProcess app = null!;
    private static List<string> generated = null!;
    private static Fixtures fixtures = null!;

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Token => TestContext.CancellationToken;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext context)
    {
        db = await TestDatabase.CreateAsync(context.CancellationToken);
        generated = await GenerateAccountsAsync(count: 60, new Random(4242));
        fixtures = await CreateFixturesAsync();
        app = await AppProcess.StartAsync(db.ConnectionString, new Dictionary<string, string>
        {
            ["Search__MaxDistance"] = MaxDistance.ToString(CultureInfo.InvariantCulture),
        });
    }

    [ClassCleanup]
    public static async Task CleanupAsync()
    {
        await app.DisposeAsync();
        await db.DisposeAsync();
    }

    [TestMethod]
    [DataRow("category", "ACTORS")]
    [DataRow("gender", "FEMALE")]
    [DataRow("country", "UK")]
    [DataRow("targetAudience", "AGE_35_55")]
    [DataRow("contentNiche", "FITNESS")]
    [DataRow("primaryPlatform", "TIKTOK")]
    [DataRow("bodyType", "ATHLETIC")]
    [DataRow("hairColor", "BROWN")]
    [DataRow("hairLength", "MEDIUM")]
    [DataRow("hairType", "CURLY")]
    [DataRow("eyeColor", "BROWN")]
    [DataRow("skinColor", "LIGHT")]
    [DataRow("ethnicity", "AFRICAN_AMERICAN")]
    [DataRow("faceShape", "ROUND")]
    [DataRow("facialHair", "STUBBLE")]
    [DataRow("voicePitch", "HIGH")]
    [DataRow("voiceTone", "AUTHORITATIVE")]
    [DataRow("accent", "AMERICAN_SOUTHERN")]
    [DataRow("primaryLanguage", "SPANISH")]
    public async Task EachEnumFilterFindsExactlyTheAccountsSqlFinds(string field, string label)
    {
        var expected = await IdsAsync($"{Column(field)}::text = $1", label);

        var page = await GetOkAsync($"{Search}?{field}={label}&limit=100");

        AssertNarrows(expected);
        Assert.AreEqual(expected.Count, page.Total);
        CollectionAssert.AreEquivalent(expected, page.ExactIds);
        Assert.IsTrue(page.Exact.All(r => r.GetProperty("attributes").GetProperty(field).GetString() == label));
    }

    [TestMethod]
    [DataRow("isVerified", true)]
    [DataRow("isVerified", false)]
    [DataRow("wearGlasses", true)]
    [DataRow("hasTattoos", false)]
    [DataRow("hasPiercings", true)]
    public async Task EachBooleanFilterFindsExactlyTheAccountsSqlFinds(string field, bool value)
    {
        var expected = await IdsAsync($"{Column(field)} = $1", value);

        var page = await GetOkAsync($"{Search}?{field}={(value ? "true" : "false")}&limit=100");

        AssertNarrows(expected);
        CollectionAssert.AreEquivalent(expected, page.ExactIds);
        Assert.AreEqual(expected.Count, page.Total);
    }

    [TestMethod]
    [DataRow("Followers", "number_of_followers", "200", "700")]
    [DataRow("EngagementRate", "engagement_rate", "2.5", "7.5")]
    [DataRow("BirthYear", "birth_year", "1985", "1995")]
    [DataRow("Height", "height", "160", "180")]
    [DataRow("Weight", "weight", "60", "80")]
    public async Task RangesIncludeBothEndsAndEitherEndMayBeLeftOut(string name, string column, string low, string high)
    {
        // Ends equal to values in the data show that both are inclusive.
        var min = Convert.ToString(await db.ScalarAsync($"SELECT min({column}) FROM likeness_search WHERE {column} >= {low}"), CultureInfo.InvariantCulture);
        var max = Convert.ToString(await db.ScalarAsync($"SELECT max({column}) FROM likeness_search WHERE {column} <= {high}"), CultureInfo.InvariantCulture);
        var between = await IdsAsync($"{column} BETWEEN {min} AND {max}");
        var atLeast = await IdsAsync($"{column} >= {min}");

        var both = await GetOkAsync($"{Search}?min{name}={min}&max{name}={max}&limit=100");
        var lowOnly = await GetOkAsync($"{Search}?min{name}={min}&limit=100");

        AssertNarrows(between);
        CollectionAssert.AreEquivalent(between, both.ExactIds);
        Assert.IsTrue(await IdsAsync($"{column} = {min}") is { Count: > 0 } atMin && atMin.All(both.ExactIds.Contains));
        Assert.IsTrue(await IdsAsync($"{column} = {max}") is { Count: > 0 } atMax && atMax.All(both.ExactIds.Contains));
        Assert.AreEqual(atLeast.Count, lowOnly.Total);
    }

    [TestMethod]
    public async Task ValuesOfOneFieldAreAlternativesAndFieldsMustAllMatch()
    {
        var blackOrBrown = await IdsAsync("hair_color IN ('BLACK', 'BROWN')");
        var blackOrBrownWomen = await IdsAsync("hair_color IN ('BLACK', 'BROWN') AND gender = 'FEMALE'");
        var alsoVerified = await IdsAsync("hair_color IN ('BLACK', 'BROWN') AND gender = 'FEMALE' AND is_verified AND height >= 170");

        var either = await GetOkAsync($"{Search}?hairColor=BLACK&hairColor=BROWN&limit=100");
        var andGender = await GetOkAsync($"{Search}?hairColor=BLACK&hairColor=BROWN&gender=FEMALE&limit=100");
        var andMore = await GetOkAsync($"{Search}?hairColor=BLACK&hairColor=BROWN&gender=FEMALE&isVerified=true&minHeight=170&limit=100");

        AssertNarrows(blackOrBrownWomen);
        CollectionAssert.AreEquivalent(blackOrBrown, either.ExactIds);
        CollectionAssert.AreEquivalent(blackOrBrownWomen, andGender.ExactIds);
        CollectionAssert.AreEquivalent(alsoVerified, andMore.ExactIds);
        Assert.IsLessThan(blackOrBrown.Count, blackOrBrownWomen.Count);
    }

    [TestMethod]
    public async Task EnumValuesAreCaseInsensitive()
    {
        var upper = await GetOkAsync($"{Search}?hairColor=BLONDE&facialHair=CLEAN_SHAVEN&limit=100");
        var lower = await GetOkAsync($"{Search}?hairColor=blonde&facialHair=clean_shaven&limit=100");
        var mixed = await PostOkAsync("""{"hairColor":["Blonde"],"facialHair":"Clean_Shaven","limit":100}""");

        Assert.IsGreaterThan(0L, upper.Total);
        CollectionAssert.AreEqual(upper.Ids, lower.Ids);
        CollectionAssert.AreEqual(upper.Ids, mixed.Ids);
    }

    [TestMethod]
    [DataRow("gender=MALE&gender=FEMALE&hairColor=BLONDE&limit=7&offset=2", """{"gender":["MALE","FEMALE"],"hairColor":"BLONDE","limit":7,"offset":2}""")]
    [DataRow("minFollowers=100&maxEngagementRate=8.5&isVerified=false&assetType=image", """{"minFollowers":100,"maxEngagementRate":8.5,"isVerified":false,"assetType":"IMAGE"}""")]
    [DataRow("q=hair+color+red&country=UK&limit=30", """{"q":"hair color red","country":["UK"],"limit":30}""")]
    [DataRow("country=ISRAEL&assetType=VOICE", """{"country":"ISRAEL","assetType":"VOICE","bodyType":null}""")]
    [DataRow("", "{}")]
    public async Task GetAndPostAnswerTheSameQueryTheSameWay(string queryString, string body)
    {
        var get = await app.Client.GetStringAsync($"{Search}?{queryString}", Token);
        var post = await PostAsync(body);

        Assert.AreEqual(HttpStatusCode.OK, post.StatusCode, post.Body);
        Assert.AreEqual(get, post.Body);
    }

    [TestMethod]
    public async Task ResultsHaveTheDocumentedShape()
    {
        var page = await GetOkAsync($"{Search}?country=ISRAEL&hairColor=RED&limit=5&offset=0");
        var exact = page.Exact.Single(r => r.GetProperty("accountId").GetString() == fixtures.Images.Id);

        CollectionAssert.AreEqual(new[] { "results", "total", "limit", "offset", "semanticTotal", "hasMore", "nextOffset", "partialTotal" }, page.Root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.AreEqual((5, 0), (page.Root.GetProperty("limit").GetInt32(), page.Root.GetProperty("offset").GetInt32()));
        CollectionAssert.AreEqual(
            new[] { "accountId", "slug", "displayName", "imageUrl", "match", "numberOfFollowers", "primaryPlatform", "isVerified", "attributes" },
            exact.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.AreEqual(fixtures.Images.Slug, exact.GetProperty("slug").GetString());
        Assert.AreEqual(fixtures.Images.DisplayName, exact.GetProperty("displayName").GetString());
        Assert.AreEqual("/api/media/avatar-ab12.jpg", exact.GetProperty("imageUrl").GetString());
        Assert.AreEqual(123_456L, exact.GetProperty("numberOfFollowers").GetInt64());
        Assert.AreEqual("YOUTUBE", exact.GetProperty("primaryPlatform").GetString());
        Assert.IsTrue(exact.GetProperty("isVerified").GetBoolean());
        // Only what is known about the account, enums as their labels.
        Assert.AreEqual(
            """{"category":"MODELS","gender":"FEMALE","country":"ISRAEL","numberOfFollowers":123456,"primaryPlatform":"YOUTUBE","isVerified":true,"hairColor":"RED","eyeColor":"GREEN"}""",
            exact.GetProperty("attributes").GetRawText());
        // Israeli or red-haired: one of the two filters, which the result names.
        var partial = page.Results.First(r => r.GetProperty("match").GetString() == "partial");
        Assert.IsFalse(partial.TryGetProperty("distance", out _));
        CollectionAssert.AreEqual(new[] { "matched", "unmatched" }, partial.EnumerateObject().Select(p => p.Name).TakeLast(2).ToArray());
        Assert.AreEqual(1, partial.GetProperty("matched").GetArrayLength());
    }

    [TestMethod]
    public async Task ExactMatchesComeFirstThenPartialMatchesThenSemanticMatchesWithinTheDistanceLimit()
    {
        var exact = await IdsAsync("hair_color = 'BLONDE' AND eye_color = 'BLUE'");
        var partial = await IdsAsync("""
            (CASE WHEN hair_color = 'BLONDE' THEN 1 ELSE 0 END) + (CASE WHEN eye_color = 'BLUE' THEN 1 ELSE 0 END) = 1
            ORDER BY number_of_followers DESC NULLS LAST, account_id COLLATE "C"
            """);
        var distances = await DistancesAsync(TagText.Normalize(new SearchAttributes { HairColor = HairColor.Blonde, EyeColor = EyeColor.Blue }));
        var expectedSemantic = distances
            .Where(d => d.Value <= MaxDistance && !exact.Contains(d.Key) && !partial.Contains(d.Key))
            .OrderBy(d => d.Value).ThenBy(d => d.Key, StringComparer.Ordinal)
            .Select(d => d.Key)
            .ToList();

        var page = await GetOkAsync($"{Search}?hairColor=BLONDE&eyeColor=BLUE&limit=100");

        Assert.IsGreaterThan(0, exact.Count);
        Assert.IsGreaterThan(0, expectedSemantic.Count);
        Assert.IsTrue(distances.Any(d => d.Value > MaxDistance && !exact.Contains(d.Key)), "some accounts lie beyond the limit");
        Assert.AreEqual(exact.Count, page.Total);
        CollectionAssert.AreEquivalent(exact, page.Ids.Take(exact.Count).ToList());
        Assert.IsTrue(page.Results.Take(exact.Count).All(r => r.GetProperty("match").GetString() == "exact" && !r.TryGetProperty("distance", out _)));
        Assert.IsGreaterThan(0, partial.Count);
        CollectionAssert.AreEqual(partial, page.Ids.Skip(exact.Count).Take(partial.Count).ToList());
        Assert.IsTrue(page.Results.Skip(exact.Count).Take(partial.Count).All(r => r.GetProperty("match").GetString() == "partial"));
        Assert.AreEqual(partial.Count, page.Root.GetProperty("partialTotal").GetInt64());
        CollectionAssert.AreEqual(expectedSemantic, page.Ids.Skip(exact.Count + partial.Count).ToList());
        foreach (var result in page.Results.Skip(exact.Count + partial.Count))
        {
            Assert.AreEqual("semantic", result.GetProperty("match").GetString());
            Assert.AreEqual(distances[result.GetProperty("accountId").GetString()!], result.GetProperty("distance").GetDouble(), 1e-5);
        }
    }

    [TestMethod]
    public async Task PartialMatchesAppearOnlyWhenExactMatchesRunShort()
    {
        var exact = await IdsAsync("hair_color = 'BLONDE' AND eye_color = 'BLUE'");

        var full = await GetOkAsync($"{Search}?hairColor=BLONDE&eyeColor=BLUE&limit={exact.Count}");
        var overTheEnd = await GetOkAsync($"{Search}?hairColor=BLONDE&eyeColor=BLUE&limit={exact.Count + 1}");

        Assert.IsTrue(full.Results.All(r => r.GetProperty("match").GetString() == "exact"));
        Assert.HasCount(exact.Count, full.Results);
        Assert.AreEqual("partial", overTheEnd.Results[^1].GetProperty("match").GetString());
    }

    [TestMethod]
    public async Task PagingThroughExactPartialAndSemanticMatchesNeverRepeatsAnAccount()
    {
        const string query = "hairColor=BLONDE&eyeColor=BLUE";
        var exact = await IdsAsync("hair_color = 'BLONDE' AND eye_color = 'BLUE'");
        var whole = await GetOkAsync($"{Search}?{query}&limit=100");

        var paged = new List<string>();
        for (var offset = 0; ; offset += 4)
        {
            var page = await GetOkAsync($"{Search}?{query}&limit=4&offset={offset}");
            Assert.AreEqual(exact.Count, page.Total);
            paged.AddRange(page.Ids);
            if (page.Ids.Count < 4)
            {
                break;
            }
        }

        Assert.IsGreaterThan(exact.Count, whole.Ids.Count, "the list goes on with partial and semantic matches");
        CollectionAssert.AreEqual(whole.Ids, paged);
        Assert.AreEqual(paged.Count, paged.Distinct().Count());
        CollectionAssert.AreEquivalent(exact, paged.Take(exact.Count).ToList());
    }

    [TestMethod]
    public async Task FiltersThatPinNothingGiveExactMatchesOnly()
    {
        var page = await GetOkAsync($"{Search}?hairColor=RED&hairColor=GRAY&limit=100");

        Assert.AreEqual((await IdsAsync("hair_color IN ('RED', 'GRAY')")).Count, page.Total);
        Assert.IsTrue(page.Results.All(r => r.GetProperty("match").GetString() == "exact"));
    }

    [TestMethod]
    public async Task ImageSearchCarriesEachAccountsImagesAsMediaProxyUrls()
    {
        var page = await GetOkAsync($"{Search}?country=ISRAEL&assetType=IMAGE&limit=100");

        var images = page.Result(fixtures.Images.Id).GetProperty("images");
        Assert.AreEqual(
            $$"""[{"assetId":"{{fixtures.ImageAssetIds[0]}}","url":"/api/media/front-aa11.jpg"},{"assetId":"{{fixtures.ImageAssetIds[1]}}","url":"/api/media/side-bb22.jpg"}]""",
            images.GetRawText());
        Assert.AreEqual(0, page.Result(fixtures.ApprovedVoice.Id).GetProperty("images").GetArrayLength());
        Assert.IsTrue(page.Results.All(r => r.TryGetProperty("images", out _) && !r.TryGetProperty("voiceSamples", out _)));
    }

    [TestMethod]
    public async Task VoiceSamplesAreShownOnlyForAccountsWithAnApprovedVoiceOverTerm()
    {
        var exact = await IdsAsync("gender = 'MALE' AND voice_tone = 'WARM'");

        var page = await GetOkAsync($"{Search}?gender=MALE&voiceTone=warm&assetType=voice&limit=100");

        Assert.AreEqual(exact.Count, page.Total);
        Assert.AreEqual(
            $$"""[{"assetId":"{{fixtures.ApprovedVoiceAssetId}}","url":"/api/media/sample-ap12.mp3"}]""",
            page.Result(fixtures.ApprovedVoice.Id).GetProperty("voiceSamples").GetRawText());
        // Exact matches without an approved VOICE_OVER term stay, with no samples.
        Assert.IsTrue(page.Exact.Where(r => r.GetProperty("accountId").GetString() != fixtures.ApprovedVoice.Id)
            .All(r => r.GetProperty("voiceSamples").GetArrayLength() == 0));
        Assert.AreEqual("semantic", page.Result(fixtures.NearVoice.Id).GetProperty("match").GetString());
        Assert.AreEqual(
            $$"""[{"assetId":"{{fixtures.NearVoiceAssetId}}","url":"/api/media/sample-nv12.mp3"}]""",
            page.Result(fixtures.NearVoice.Id).GetProperty("voiceSamples").GetRawText());
        // Semantic matches are only accounts that may be heard: the others nearby are left out.
        Assert.AreEqual(exact.Count + 1, page.Results.Count);
        Assert.IsFalse(page.Ids.Contains(fixtures.NearPendingVoice.Id));
        Assert.IsTrue(page.Results.All(r => !r.TryGetProperty("images", out _)));
    }

    [TestMethod]
    public async Task LookalikesAreTheNearestOtherAccountsWithinTheFilters()
    {
        var account = generated[0];
        var distances = await DistancesToAccountAsync(account);
        var women = await IdsAsync("gender = 'FEMALE'");
        var expected = distances
            .Where(d => d.Key != account && d.Value <= MaxDistance)
            .OrderBy(d => d.Value).ThenBy(d => d.Key, StringComparer.Ordinal)
            .Select(d => d.Key)
            .ToList();

        var all = await GetOkAsync($"/api/likeness/accounts/{account}/similar?limit=100");
        var femaleOnly = await GetOkAsync($"/api/likeness/accounts/{account}/similar?gender=female&limit=100");
        var secondPage = await GetOkAsync($"/api/likeness/accounts/{account}/similar?limit=5&offset=5");

        Assert.IsGreaterThan(5, expected.Count);
        CollectionAssert.AreEqual(expected, all.Ids);
        Assert.IsTrue(all.Results.All(r => r.GetProperty("match").GetString() == "semantic"));
        CollectionAssert.AreEqual(expected.Where(women.Contains).ToList(), femaleOnly.Ids);
        Assert.AreEqual(women.Count(id => id != account), femaleOnly.Total);
        CollectionAssert.AreEqual(expected.Skip(5).Take(5).ToList(), secondPage.Ids);
    }

    [TestMethod]
    [DataRow("not-indexed")]
    [DataRow("no-such-account")]
    [DataRow("%20")]
    public async Task LookalikesOfAnAccountWithoutAnEmbeddingAre404ProblemDetails(string which)
    {
        var id = which == "not-indexed" ? fixtures.NotIndexed.Id : which;

        using var response = await app.Client.GetAsync($"/api/likeness/accounts/{id}/similar", Token);

        Assert.AreEqual(HttpStatusCode.NotFound, response.StatusCode);
        Assert.AreEqual("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    // Each case: method, path and query, JSON body for POST, the field the problem must name.
    private static IEnumerable<object[]> BadRequests()
    {
        string Get(string query) => $"{Search}?{query}";
        var tooLong = new string('a', 1001);
        return
        [
            ["GET", Get("hairColor=PURPLE"), "", "hairColor"],
            ["GET", Get("gender=robot"), "", "gender"],
            ["GET", Get("category="), "", "category"],
            ["GET", Get("country=USA&country=MARS"), "", "country"],
            ["GET", Get("eyeColor=1"), "", "eyeColor"],
            ["GET", Get("accent=BRITISH"), "", "accent"],
            ["GET", Get("isVerified=yes"), "", "isVerified"],
            ["GET", Get("isVerified=true&isVerified=false"), "", "isVerified"],
            ["GET", Get("hasTattoos=1"), "", "hasTattoos"],
            ["GET", Get("wearGlasses="), "", "wearGlasses"],
            ["GET", Get("minFollowers=abc"), "", "minFollowers"],
            ["GET", Get("minFollowers=-1"), "", "minFollowers"],
            ["GET", Get("minFollowers=100&maxFollowers=10"), "", "minFollowers"],
            ["GET", Get("maxFollowers=1.5"), "", "maxFollowers"],
            ["GET", Get("minEngagementRate=NaN"), "", "minEngagementRate"],
            ["GET", Get("maxEngagementRate=Infinity"), "", "maxEngagementRate"],
            ["GET", Get("minEngagementRate=5&maxEngagementRate=1"), "", "minEngagementRate"],
            ["GET", Get("minBirthYear=2000&maxBirthYear=1990"), "", "minBirthYear"],
            ["GET", Get("minBirthYear=99999999999"), "", "minBirthYear"],
            ["GET", Get("minHeight=tall"), "", "minHeight"],
            ["GET", Get("maxWeight=-5"), "", "maxWeight"],
            ["GET", Get("minWeight=80&maxWeight=60"), "", "minWeight"],
            ["GET", Get("limit=0"), "", "limit"],
            ["GET", Get("limit=101"), "", "limit"],
            ["GET", Get("limit=abc"), "", "limit"],
            ["GET", Get("limit=10&limit=20"), "", "limit"],
            ["GET", Get("offset=-1"), "", "offset"],
            ["GET", Get("offset=1.5"), "", "offset"],
            ["GET", Get("assetType=VIDEO"), "", "assetType"],
            ["GET", Get("assetType=IMAGE&assetType=VOICE"), "", "assetType"],
            ["GET", Get("q=" + tooLong), "", "q"],
            ["GET", Get("unknownKey=1"), "", "unknownKey"],
            ["GET", Get("HairColor=BLONDE"), "", "HairColor"],
            ["GET", "/api/likeness/accounts/any/similar?q=blonde", "", "q"],
            ["GET", "/api/likeness/accounts/any/similar?limit=0", "", "limit"],
            ["GET", "/api/likeness/accounts/any/similar?hairColor=PURPLE", "", "hairColor"],
            ["POST", Search, "{", "body"],
            ["POST", Search, "[]", "body"],
            ["POST", Search, "", "body"],
            ["POST", Search, "\"hairColor\"", "body"],
            ["POST", Search, """{"hairColor":"PURPLE"}""", "hairColor"],
            ["POST", Search, """{"hairColor":[1]}""", "hairColor"],
            ["POST", Search, """{"hairColor":[["BLONDE"]]}""", "hairColor"],
            ["POST", Search, """{"gender":{"is":"FEMALE"}}""", "gender"],
            ["POST", Search, """{"limit":"20"}""", "limit"],
            ["POST", Search, """{"limit":[20]}""", "limit"],
            ["POST", Search, """{"limit":20.5}""", "limit"],
            ["POST", Search, """{"limit":20,"limit":30}""", "limit"],
            ["POST", Search, """{"offset":-3}""", "offset"],
            ["POST", Search, """{"isVerified":"true"}""", "isVerified"],
            ["POST", Search, """{"hasPiercings":1}""", "hasPiercings"],
            ["POST", Search, """{"minFollowers":true}""", "minFollowers"],
            ["POST", Search, """{"minHeight":190,"maxHeight":150}""", "minHeight"],
            ["POST", Search, """{"maxEngagementRate":1e400}""", "maxEngagementRate"],
            ["POST", Search, """{"q":5}""", "q"],
            ["POST", Search, $$"""{"q":"{{tooLong}}"}""", "q"],
            ["POST", Search, """{"assetType":["IMAGE"]}""", "assetType"],
            ["POST", Search, """{"unknown":1}""", "unknown"],
            ["POST", Search + "?hairColor=BLONDE", "{}", "hairColor"],
        ];
    }

    [TestMethod]
    [DynamicData(nameof(BadRequests))]
    public async Task BadInputIsA400ProblemNamingTheField(string method, string url, string body, string field)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method == "POST")
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await app.Client.SendAsync(request, Token);
        var text = await response.Content.ReadAsStringAsync(Token);

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode, text);
        Assert.AreEqual("application/problem+json", response.Content.Headers.ContentType?.MediaType, text);
        Assert.IsTrue(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out _), text);
    }

    [TestMethod]
    public void AtLeastFortyMalformedRequestsAreChecked() => Assert.IsGreaterThanOrEqualTo(40, BadRequests().Count());

    [TestMethod]
    public async Task ABodyOver64KilobytesIsA413ProblemNamingTheBody()
    {
        var body = $$"""{"q":"x","hairColor":[{{string.Join(",", Enumerable.Repeat("\"BLONDE\"", 8000))}}]}""";
        // The server closes a connection whose body it did not read: keep it away from the other tests' connections.
        using var client = app.CreateClient();

        using var response = await client.PostAsync(Search, new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Token);
        var text = await response.Content.ReadAsStringAsync(Token);

        Assert.AreEqual(HttpStatusCode.RequestEntityTooLarge, response.StatusCode, text);
        Assert.IsTrue(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty("body", out _), text);
    }

    [TestMethod]
    public async Task TheFunctionKeyParameterIsNotAnUnknownField()
    {
        var withKey = await GetOkAsync($"{Search}?hairColor=BLONDE&code=function-key");
        var post = await PostAsync("""{"hairColor":"BLONDE"}""", "?code=function-key");

        Assert.IsGreaterThan(0L, withKey.Total);
        Assert.AreEqual(HttpStatusCode.OK, post.StatusCode, post.Body);
    }

    private static void AssertNarrows(IReadOnlyCollection<string> ids) =>
        Assert.IsTrue(ids.Count > 0 && ids.Count < generated.Count, $"the filter should keep some accounts and drop others, kept {ids.Count}");

    private static string Column(string field) => JsonNamingPolicy.SnakeCaseLower.ConvertName(field);

    private async Task<Page> GetOkAsync(string url)
    {
        using var response = await app.Client.GetAsync(url, Token);
        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, body);
        Assert.AreEqual("application/json", response.Content.Headers.ContentType?.MediaType);
        return new Page(JsonDocument.Parse(body).RootElement);
    }

    private async Task<Page> PostOkAsync(string json)
    {
        var response = await PostAsync(json);
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, response.Body);
        return new Page(JsonDocument.Parse(response.Body).RootElement);
    }

    private async Task<(HttpStatusCode StatusCode, string Body)> PostAsync(string json, string query = "")
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await app.Client.PostAsync(Search + query, content, Token);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Token));
    }

    /// <summary>Account ids whose <c>likeness_search</c> row meets <paramref name="condition"/>.</summary>
    private static async Task<List<string>> IdsAsync(string condition, params object[] parameters)
    {
        await using var command = db.DataSource.CreateCommand($"SELECT account_id FROM likeness_search WHERE {condition}");
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }

    /// <summary>The exact cosine distance of every stored embedding to that of <paramref name="text"/>, by a full scan.</summary>
    private static async Task<Dictionary<string, double>> DistancesAsync(string text) =>
        await DistancesAsync("$1", await Embedder.EmbedAsync(text, CancellationToken.None));

    private static Task<Dictionary<string, double>> DistancesToAccountAsync(string accountId) =>
        DistancesAsync("(SELECT embedding FROM likeness_search_vector WHERE account_id = $1)", accountId);

    private static async Task<Dictionary<string, double>> DistancesAsync(string target, object parameter)
    {
        await using var command = db.DataSource.CreateCommand($"SELECT account_id, embedding <=> {target} FROM likeness_search_vector");
        command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        var distances = new Dictionary<string, double>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            distances[reader.GetString(0)] = reader.GetDouble(1);
        }
        return distances;
    }

    /// <summary>
    /// Indexed accounts with random attributes: for every enum its first three values (so each
    /// value is shared by several accounts), numbers from small ranges, a fifth unknown.
    /// </summary>
    private static async Task<List<string>> GenerateAccountsAsync(int count, Random random)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await IndexedAccountAsync(RandomSearchData.Attributes(random))).Id);
        }
        return ids;
    }

    /// <summary>Accounts the asset and lookalike tests look at, all in a country the generated ones never have.</summary>
    private static async Task<Fixtures> CreateFixturesAsync()
    {
        var assets = new LikenessAssetsAccess(db.DataSource);
        var terms = new IpTermsAccess(db.DataSource);
        var media = new MediaAccess(db.DataSource);
        async Task<LikenessAsset> AssetAsync(string accountId, AssetType type, string filename, string? sample = null)
        {
            foreach (var name in new[] { filename, sample }.OfType<string>())
            {
                await media.CreateMediaAsync(new NewMediaFile(name, name, name, "media", null, "application/octet-stream", MediaStatus.Complete));
            }
            return await assets.CreateAssetAsync(new NewLikenessAsset(accountId, type, filename, VoiceSampleUrl: sample));
        }

        var images = await IndexedAccountAsync(new SearchAttributes
        {
            Category = Category.Models,
            Gender = Gender.Female,
            Country = Country.Israel,
            NumberOfFollowers = 123_456,
            PrimaryPlatform = Platform.YouTube,
            IsVerified = true,
            HairColor = HairColor.Red,
            EyeColor = EyeColor.Green,
        });
        var front = await AssetAsync(images.Id, AssetType.Image, "front-aa11.jpg");
        var side = await AssetAsync(images.Id, AssetType.Image, "side-bb22.jpg");
        await terms.CreateIpTermAsync(images.Id, IpTermType.Likeness, IpTermStatus.Approved);

        async Task<(Account Account, LikenessAsset Voice)> VoiceAccountAsync(VoiceTone tone, IpTermStatus voiceOver, string name)
        {
            var account = await IndexedAccountAsync(new SearchAttributes { Country = Country.Israel, Gender = Gender.Male, VoiceTone = tone });
            await terms.CreateIpTermAsync(account.Id, IpTermType.Likeness, IpTermStatus.Approved);
            await terms.CreateIpTermAsync(account.Id, IpTermType.VoiceOver, voiceOver);
            return (account, await AssetAsync(account.Id, AssetType.Voice, $"voice-{name}.wav", $"sample-{name}.mp3"));
        }
        var approved = await VoiceAccountAsync(VoiceTone.Warm, IpTermStatus.Approved, "ap12");
        var near = await VoiceAccountAsync(VoiceTone.Friendly, IpTermStatus.Approved, "nv12");
        var nearPending = await VoiceAccountAsync(VoiceTone.Calm, IpTermStatus.Pending, "np12");

        var notIndexed = await new AccountsAccess(db.DataSource).CreateAccountAsync(new NewAccount("talent-" + NanoId.New(), "Not Indexed", null, null));
        return new Fixtures(images, [front.Id, side.Id], approved.Account, approved.Voice.Id, near.Account, near.Voice.Id, nearPending.Account, notIndexed);
    }

    private static Task<Account> IndexedAccountAsync(SearchAttributes attributes) => SearchTestData.IndexedAccountAsync(db.DataSource, attributes);

    private sealed record Fixtures(
        Account Images,
        string[] ImageAssetIds,
        Account ApprovedVoice,
        string ApprovedVoiceAssetId,
        Account NearVoice,
        string NearVoiceAssetId,
        Account NearPendingVoice,
        Account NotIndexed);

    private sealed record Page(JsonElement Root)
    {
        public long Total => Root.GetProperty("total").GetInt64();

        public List<JsonElement> Results => [.. Root.GetProperty("results").EnumerateArray()];

        public List<string> Ids => [.. Results.Select(r => r.GetProperty("accountId").GetString()!)];

        public List<JsonElement> Exact => [.. Results.Where(r => r.GetProperty("match").GetString() == "exact")];

        public List<string> ExactIds => [.. Exact.Select(r => r.GetProperty("accountId").GetString()!)];

        public JsonElement Result(string accountId) => Results.Single(r => r.GetProperty("accountId").GetString() == accountId);
    }
}
