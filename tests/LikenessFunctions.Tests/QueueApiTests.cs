using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Likeness.Shared.Data;
using Likeness.Testing;

namespace LikenessFunctions.Tests;

[TestClass]
public sealed class QueueApiTests
{
    private static TestDatabase db = null!;
    private static AppProcess app = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext _)
    {
        db = await TestDatabase.CreateAsync();
        app = await AppProcess.StartAsync(db.ConnectionString);
    }

    [ClassCleanup]
    public static async Task CleanupAsync()
    {
        await app.DisposeAsync();
        await db.DisposeAsync();
    }

    [TestMethod]
    public async Task PostingAnEventForAnAccountQueuesItAsPending()
    {
        var account = await NewAccountAsync();

        using var response = await app.Client.PostAsJsonAsync("/api/likeness/queue",
            new { accountId = account.Id, elementType = "image_asset", elementId = "asset-1", info = new { source = "upload" } });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode);
        var id = body.GetProperty("id").GetString()!;
        Assert.AreEqual("PENDING", body.GetProperty("status").GetString());
        Assert.AreEqual($"/api/likeness/queue/{id}", response.Headers.Location!.OriginalString);
        var queued = await new LikenessNeedIndexingQueueAccess(db.DataSource).GetEventByIdAsync(id);
        Assert.AreEqual((QueueElementType.ImageAsset, "asset-1", "upload"), (queued!.ElementType, queued.ElementId, queued.Info!.Value.GetProperty("source").GetString()));
    }

    [TestMethod]
    public async Task GettingAnEventShowsWhereItStands()
    {
        var account = await NewAccountAsync();
        var queued = await new LikenessNeedIndexingQueueAccess(db.DataSource).AddToQueueAsync(account.Id, QueueElementType.SocialData, null, null);

        var body = await app.Client.GetFromJsonAsync<JsonElement>($"/api/likeness/queue/{queued.Id}");

        Assert.AreEqual((queued.Id, "SOCIAL_DATA", "PENDING"), (body.GetProperty("id").GetString(), body.GetProperty("elementType").GetString(), body.GetProperty("status").GetString()));
    }

    [TestMethod]
    public async Task GettingAnUnknownEventIs404ProblemDetails()
    {
        using var response = await app.Client.GetAsync("/api/likeness/queue/no-such-event");

        Assert.AreEqual(HttpStatusCode.NotFound, response.StatusCode);
        Assert.AreEqual("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [TestMethod]
    public async Task PostingForAnUnknownAccountIs404NamingTheAccountId()
    {
        using var response = await app.Client.PostAsJsonAsync("/api/likeness/queue", new { accountId = "no-such-account", elementType = "SOCIAL_DATA" });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.AreEqual(HttpStatusCode.NotFound, response.StatusCode);
        Assert.AreEqual("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.AreEqual(1, body.GetProperty("errors").GetProperty("accountId").GetArrayLength());
    }

    [TestMethod]
    [DataRow("""{"accountId":"a1","elementType":"HAIR_CUT"}""", "elementType")]
    [DataRow("""{"accountId":"a1"}""", "elementType")]
    [DataRow("""{"elementType":"SOCIAL_DATA"}""", "accountId")]
    [DataRow("""{"accountId":42,"elementType":"SOCIAL_DATA"}""", "accountId")]
    [DataRow("""{"accountId":"a1","elementType":"SOCIAL_DATA","elementId":""}""", "elementId")]
    [DataRow("""{"accountId":"a1","elementType":"SOCIAL_DATA","info":[1,2]}""", "info")]
    [DataRow("""{"accountId":"a1","elementType":"SOCIAL_DATA","priority":1}""", "priority")]
    [DataRow("""{"accountId":"a1",""", "body")]
    [DataRow("""["not","an","object"]""", "body")]
    public async Task BadBodiesAre400ProblemDetailsNamingTheField(string json, string field)
    {
        using var response = await app.Client.PostAsync("/api/likeness/queue", new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode, body.ToString());
        Assert.AreEqual("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.IsTrue(body.GetProperty("errors").TryGetProperty(field, out _), body.ToString());
    }

    [TestMethod]
    public async Task BodiesOver64KilobytesAre413NamingTheBody()
    {
        var json = JsonSerializer.Serialize(new { accountId = "a1", elementType = "SOCIAL_DATA", info = new { padding = new string('x', 70_000) } });
        // The server closes a connection whose body it did not read to the end: keep it away from the other tests' connections.
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/api/likeness/queue", new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.AreEqual(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.AreEqual("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.IsTrue(body.GetProperty("errors").TryGetProperty("body", out _), body.ToString());
    }

    private static Task<Account> NewAccountAsync() =>
        new AccountsAccess(db.DataSource).CreateAccountAsync(new NewAccount("talent-" + NanoId.New(), "Q", null, null));
}
