using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Likeness.Shared.Data;
using Likeness.Testing;

namespace LikenessFunctions.Tests;

/// <summary>
/// The input rules every endpoint shares (README, "Input rules"), over real HTTP: bad input is a
/// 400 (or 404, 415) problem naming the offending field, never a 500, and never silently accepted.
/// </summary>
[TestClass]
public sealed class InputRulesTests
{
    private const string Search = "/api/likeness/search";
    private const string Queue = "/api/likeness/queue";
    private static TestDatabase db = null!;
    private static AppProcess app = null!;
    private static string accountId = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext _)
    {
        db = await TestDatabase.CreateAsync();
        app = await AppProcess.StartAsync(db.ConnectionString);
        accountId = (await new AccountsAccess(db.DataSource).CreateAccountAsync(new NewAccount("talent-" + NanoId.New(), "Q", null, null))).Id;
    }

    [ClassCleanup]
    public static async Task CleanupAsync()
    {
        await app.DisposeAsync();
        await db.DisposeAsync();
    }

    public static IEnumerable<object[]> BadStrings =>
    [
        [Search, """{"q":"\ud800"}""", "q"],
        [Search, """{"q":"ok","hairColor":["\udfff"]}""", "hairColor"],
        [Search, """{"\ud800":"x"}""", "body"],
        [Search, """{"q":"a\u0000b"}""", "q"],
        [Queue, """{"accountId":"\ud800","elementType":"SOCIAL_DATA"}""", "accountId"],
        [Queue, """{"accountId":"ACCOUNT","elementType":"SOCIAL_DATA","elementId":"a\u0000"}""", "elementId"],
        [Queue, """{"accountId":"ACCOUNT\u0000","elementType":"SOCIAL_DATA"}""", "accountId"],
        [Queue, """{"accountId":"ACCOUNT","elementType":"SOCIAL_DATA","info":{"note":"x\u0000y"}}""", "info"],
        [Queue, """{"accountId":"ACCOUNT","elementType":"SOCIAL_DATA","info":{"a\u0000":1}}""", "info"],
        [Queue, """{"accountId":"ACCOUNT","elementType":"SOCIAL_DATA","info":{"deep":["\udc00"]}}""", "info"],
        [Queue, """{"\udc00x":1,"accountId":"ACCOUNT","elementType":"SOCIAL_DATA"}""", "body"],
    ];

    [TestMethod]
    [DynamicData(nameof(BadStrings))]
    public async Task StringsThatAreNotValidUnicodeOrHoldNulAre400NamingTheField(string path, string json, string field)
    {
        using var response = await PostAsync(path, Encoding.UTF8.GetBytes(json.Replace("ACCOUNT", accountId, StringComparison.Ordinal)));

        await AssertFieldErrorAsync(response, HttpStatusCode.BadRequest, field);
    }

    [TestMethod]
    [DataRow(Search, DisplayName = "search")]
    [DataRow(Queue, DisplayName = "queue")]
    public async Task InvalidUtf8BytesInValuesAndNamesAre400(string path)
    {
        byte[] value = [.. "{\"q\":\""u8, 0xC3, 0x28, .. "\"}"u8];
        byte[] name = [.. "{\""u8, 0xFF, 0xFE, .. "\":1}"u8];

        using var inValue = await PostAsync(path, value);
        using var inName = await PostAsync(path, name);

        Assert.AreEqual(HttpStatusCode.BadRequest, inValue.StatusCode, app.Output);
        Assert.AreEqual(HttpStatusCode.BadRequest, inName.StatusCode, app.Output);
    }

    [TestMethod]
    [DataRow(Search, null, DisplayName = "search without a content type")]
    [DataRow(Search, "text/plain", DisplayName = "search as text")]
    [DataRow(Search, "application/json; charset=latin1", DisplayName = "search in another charset")]
    [DataRow(Queue, null, DisplayName = "queue without a content type")]
    [DataRow(Queue, "text/plain", DisplayName = "queue as text")]
    public async Task PostWithoutAJsonContentTypeIs415NamingTheHeader(string path, string? contentType)
    {
        using var content = new ByteArrayContent("""{"q":"x"}"""u8.ToArray());
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        using var response = await app.Client.PostAsync(path, content);

        await AssertFieldErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "Content-Type");
    }

    [TestMethod]
    public async Task AnEmptyListIsAnErrorNotAMissingFilter()
    {
        using var response = await PostAsync(Search, """{"hairColor":[]}"""u8.ToArray());

        await AssertFieldErrorAsync(response, HttpStatusCode.BadRequest, "hairColor");
    }

    [TestMethod]
    [DataRow(Search, """{"q":"a","q":"b"}""", "q", DisplayName = "search")]
    [DataRow(Queue, """{"accountId":"ACCOUNT","accountId":"ACCOUNT","elementType":"SOCIAL_DATA"}""", "accountId", DisplayName = "queue")]
    [DataRow(Queue, """{"accountId":"ACCOUNT","elementType":"SOCIAL_DATA","info":{"a":1,"a":2}}""", "info", DisplayName = "queue info")]
    public async Task DuplicateKeysAreRejectedEverywhere(string path, string json, string field)
    {
        using var response = await PostAsync(path, Encoding.UTF8.GetBytes(json.Replace("ACCOUNT", accountId, StringComparison.Ordinal)));

        await AssertFieldErrorAsync(response, HttpStatusCode.BadRequest, field);
    }

    [TestMethod]
    public async Task IdsAndInfoHaveSizeCaps()
    {
        var longId = new string('a', 65);
        using var elementId = await PostAsync(Queue, Json(new { accountId, elementType = "SOCIAL_DATA", elementId = new string('e', 60_000) }));
        using var account = await PostAsync(Queue, Json(new { accountId = longId, elementType = "SOCIAL_DATA" }));
        using var info = await PostAsync(Queue, Json(new { accountId, elementType = "SOCIAL_DATA", info = new { note = new string('n', 9000) } }));
        using var spaced = await PostAsync(Queue, Json(new { accountId, elementType = "SOCIAL_DATA", elementId = "a b" }));
        using var fits = await PostAsync(Queue, Json(new { accountId, elementType = "SOCIAL_DATA", elementId = new string('e', 64), info = new { note = new string('n', 8000) } }));

        await AssertFieldErrorAsync(elementId, HttpStatusCode.BadRequest, "elementId");
        await AssertFieldErrorAsync(account, HttpStatusCode.BadRequest, "accountId");
        await AssertFieldErrorAsync(info, HttpStatusCode.BadRequest, "info");
        await AssertFieldErrorAsync(spaced, HttpStatusCode.BadRequest, "elementId");
        Assert.AreEqual(HttpStatusCode.Accepted, fits.StatusCode, await fits.Content.ReadAsStringAsync());
        Assert.AreEqual(1L, await db.ScalarAsync("SELECT count(*) FROM likeness_need_indexing_queue WHERE account_id = $1", accountId));
    }

    [TestMethod]
    [DataRow("%20", DisplayName = "space")]
    [DataRow("%20%20%09", DisplayName = "whitespace")]
    [DataRow("x%0Ay", DisplayName = "newline")]
    public async Task RouteIdsThatBreakTheRulesAre404(string id)
    {
        using var queued = await app.Client.GetAsync($"{Queue}/{id}");
        using var similar = await app.Client.GetAsync($"/api/likeness/accounts/{id}/similar");

        Assert.AreEqual(HttpStatusCode.NotFound, queued.StatusCode, app.Output);
        Assert.AreEqual("application/problem+json", queued.Content.Headers.ContentType?.MediaType);
        Assert.AreEqual(HttpStatusCode.NotFound, similar.StatusCode, app.Output);
    }

    [TestMethod]
    public async Task NulInTheQueryTextIs400()
    {
        using var response = await app.Client.GetAsync($"{Search}?q=a%00b");

        await AssertFieldErrorAsync(response, HttpStatusCode.BadRequest, "q");
    }

    private static byte[] Json(object value) => JsonSerializer.SerializeToUtf8Bytes(value);

    private static async Task<HttpResponseMessage> PostAsync(string path, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await app.Client.PostAsync(path, content);
    }

    private static async Task AssertFieldErrorAsync(HttpResponseMessage response, HttpStatusCode status, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(status, response.StatusCode, text + Environment.NewLine + app.Output);
        Assert.AreEqual("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        Assert.IsTrue(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), text);
    }
}
