using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Likeness.Shared.Data;
using Likeness.Testing;

namespace LikenessFunctions.Tests;

/// <summary>
/// Facet counts over real HTTP, GET and POST, against accounts written straight into the database;
/// every expected count is worked out from the attributes as written.
/// </summary>
[TestClass]
public sealed class SearchFacetsTests
{
    private const string Search = "/api/likeness/search";
    private static TestDatabase db = null!;
    private static AppProcess app = null!;
    private static Dictionary<string, SearchAttributes> accounts = null!;

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Token => TestContext.CancellationToken;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext context)
    {
        db = await TestDatabase.CreateAsync(context.CancellationToken);
        var random = new Random(1010);
        var search = new LikenessSearchAccess(db.DataSource);
        accounts = [];
        for (var i = 0; i < 60; i++)
        {
            var id = await NewAccountAsync();
            var attributes = RandomSearchData.Attributes(random);
            await search.UpsertSearchIndexAsync(id, attributes, context.CancellationToken);
            accounts[id] = attributes;
        }
        app = await AppProcess.StartAsync(db.ConnectionString);
    }

    [ClassCleanup]
    public static async Task CleanupAsync()
    {
        await app.DisposeAsync();
        await db.DisposeAsync();
    }

    [TestMethod]
    public async Task GetFacetsCountEveryFilterOfTheRequestExceptTheirOwnAndLeaveOutZeros()
    {
        var filters = new SearchFilters { HairColors = [HairColor.Blonde], HasTattoos = true };

        var page = await GetOkAsync($"{Search}?hairColor=BLONDE&hasTattoos=true&facets=hairColor,hasTattoos");

        Assert.AreEqual(accounts.Values.Count(a => SearchAttributeCatalog.Matches(filters, a)), page.GetProperty("total").GetInt64());
        Assert.AreEqual(Expected(filters, "hairColor", "hasTattoos"), Actual(page));
    }

    [TestMethod]
    public async Task PostTakesFacetsAsAnArrayAndAllNamesEveryEnumAndBooleanAttribute()
    {
        var filters = new SearchFilters { Genders = [Gender.Female, Gender.Male], MinHeight = 10 };

        var page = await PostOkAsync("""{"gender":["FEMALE","MALE"],"minHeight":10,"facets":["all"]}""");

        var names = SearchAttributeCatalog.Discrete.Select(a => a.Name).ToArray();
        CollectionAssert.AreEquivalent(names, page.GetProperty("facets").EnumerateObject().Select(p => p.Name).ToArray());
        Assert.AreEqual(Expected(filters, names), Actual(page));
    }

    [TestMethod]
    public async Task RepeatedFacetKeysOnGetAddUpAndAFacetWithoutAFilterCountsTheMatches()
    {
        var filters = new SearchFilters { Categories = [Category.Actors] };

        var page = await GetOkAsync($"{Search}?category=ACTORS&facets=gender&facets=isVerified");

        Assert.AreEqual(Expected(filters, "gender", "isVerified"), Actual(page));
    }

    [TestMethod]
    public async Task APageWithoutFacetsAskedForHasNoFacetsProperty()
    {
        var page = await GetOkAsync($"{Search}?category=ACTORS");

        Assert.IsFalse(page.TryGetProperty("facets", out _));
    }

    [TestMethod]
    [DataRow("GET", "?facets=hairColour")]
    [DataRow("GET", "?facets=height")]
    [DataRow("GET", "?facets=gender,")]
    [DataRow("POST", """{"facets":["eyeColor","nope"]}""")]
    [DataRow("POST", """{"facets":[]}""")]
    [DataRow("POST", """{"facets":[1]}""")]
    public async Task AnUnknownOrMalformedFacetIsA400ProblemNamingFacets(string method, string request)
    {
        using var message = method == "GET"
            ? new HttpRequestMessage(HttpMethod.Get, Search + request)
            : new HttpRequestMessage(HttpMethod.Post, Search) { Content = new StringContent(request, Encoding.UTF8, "application/json") };

        using var response = await app.Client.SendAsync(message, Token);
        var text = await response.Content.ReadAsStringAsync(Token);

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode, text);
        Assert.AreEqual("application/problem+json", response.Content.Headers.ContentType?.MediaType, text);
        Assert.IsTrue(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty("facets", out _), text);
    }

    [TestMethod]
    public async Task TheLookalikeSearchTakesNoFacets()
    {
        using var response = await app.Client.GetAsync($"/api/likeness/accounts/{accounts.Keys.First()}/similar?facets=gender", Token);
        var text = await response.Content.ReadAsStringAsync(Token);

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode, text);
        Assert.IsTrue(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty("facets", out _), text);
    }

    [TestMethod]
    public async Task ADirectWriteToTheSearchTableShowsInTotalsAndFacetsWithinTwoSeconds()
    {
        // An attribute value no generated account has: the new row alone carries it.
        var url = $"{Search}?country=IRELAND&facets=country";
        Assert.AreEqual(0L, (await GetOkAsync(url)).GetProperty("total").GetInt64());
        var id = await NewAccountAsync();
        var watch = Stopwatch.StartNew();

        await db.ScalarAsync("INSERT INTO likeness_search (id, account_id, country) VALUES ($1, $2, 'IRELAND')", NanoId.New(), id);

        while ((await GetOkAsync(url)).GetProperty("total").GetInt64() == 0)
        {
            // Generous for a shared machine; the benchmark measures the figure itself.
            Assert.IsLessThan(TimeSpan.FromSeconds(10), watch.Elapsed, "the insert never showed");
            await Task.Delay(25, Token);
        }
        var page = await GetOkAsync(url);
        Assert.AreEqual(1L, page.GetProperty("facets").GetProperty("country").GetProperty("IRELAND").GetInt64());
        await db.ScalarAsync("DELETE FROM likeness_search WHERE account_id = $1", id);
    }

    private static async Task<string> NewAccountAsync()
    {
        var account = await new AccountsAccess(db.DataSource).CreateAccountAsync(new NewAccount("talent-" + NanoId.New(), "Talent", null, null));
        return account.Id;
    }

    /// <summary>The counts as <c>attribute: LABEL=n, ...</c> lines, worked out from the attributes as written.</summary>
    private static string Expected(SearchFilters filters, params string[] names) => string.Join("\n", names.Order(StringComparer.Ordinal).Select(name =>
    {
        var attribute = (DiscreteAttribute)SearchAttributeCatalog.Get(name);
        var others = attribute.WithoutFilter(filters);
        var counts = accounts.Values
            .Where(a => SearchAttributeCatalog.Matches(others, a) && attribute.OrdinalOf(a) >= 0)
            .GroupBy(attribute.OrdinalOf)
            .OrderBy(g => attribute.Labels[g.Key], StringComparer.Ordinal)
            .Select(g => $"{attribute.Labels[g.Key]}={g.Count()}");
        return $"{name}: {string.Join(", ", counts)}";
    }));

    private static string Actual(JsonElement page) => string.Join("\n", page.GetProperty("facets").EnumerateObject()
        .OrderBy(p => p.Name, StringComparer.Ordinal)
        .Select(p => $"{p.Name}: {string.Join(", ", p.Value.EnumerateObject().OrderBy(v => v.Name, StringComparer.Ordinal).Select(v => $"{v.Name}={v.Value.GetInt64()}"))}"));

    private async Task<JsonElement> GetOkAsync(string url)
    {
        using var response = await app.Client.GetAsync(url, Token);
        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, body);
        return JsonDocument.Parse(body).RootElement;
    }

    private async Task<JsonElement> PostOkAsync(string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await app.Client.PostAsync(Search, content, Token);
        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, body);
        return JsonDocument.Parse(body).RootElement;
    }
}
