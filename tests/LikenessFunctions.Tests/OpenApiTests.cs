using System.Net;
using System.Text.Json;
using Likeness.Testing;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace LikenessFunctions.Tests;

/// <summary><c>GET /api/openapi.json</c> from the running app, checked against <see cref="FunctionContract"/>.</summary>
[TestClass]
public sealed class OpenApiTests
{
    private static TestDatabase db = null!;
    private static AppProcess app = null!;
    private static string json = null!;
    private static JsonElement document;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        db = await TestDatabase.CreateAsync();
        app = await AppProcess.StartAsync(db.ConnectionString);
        using var response = await app.Client.GetAsync("/api/openapi.json");
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, app.Output);
        Assert.AreEqual("application/json", response.Content.Headers.ContentType?.MediaType);
        json = await response.Content.ReadAsStringAsync();
        document = JsonDocument.Parse(json).RootElement.Clone();
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        await app.DisposeAsync();
        await db.DisposeAsync();
    }

    private static IEnumerable<FunctionContract> DocumentedFunctions =>
        FunctionContract.HttpFunctions;

    [TestMethod]
    public void DocumentListsEveryHttpFunctionOfTheCatalogWithEachOfItsMethods()
    {
        var paths = document.GetProperty("paths");
        foreach (var function in DocumentedFunctions)
        {
            Assert.IsTrue(paths.TryGetProperty(function.ApiPath, out var item), $"{function.Name}: {function.ApiPath} is missing");
            foreach (var method in function.Methods!)
            {
                Assert.IsTrue(item.TryGetProperty(method, out _), $"{function.Name}: {method} is missing");
            }
        }
    }

    [TestMethod]
    public void DocumentHasNoPathsBeyondTheCatalogsHttpFunctions()
    {
        var expected = DocumentedFunctions.Select(f => f.ApiPath).ToHashSet();

        var extra = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).Where(path => !expected.Contains(path)).ToList();

        Assert.IsEmpty(extra, "timers and other internals stay out: " + string.Join(", ", extra));
    }

    [TestMethod]
    public void FunctionKeyIsRequiredExactlyWhereTheCatalogSaysSo()
    {
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("functionKey");
        Assert.AreEqual("apiKey", scheme.GetProperty("type").GetString());
        Assert.AreEqual("header", scheme.GetProperty("in").GetString());
        Assert.AreEqual("x-functions-key", scheme.GetProperty("name").GetString());

        foreach (var function in DocumentedFunctions)
        {
            foreach (var method in function.Methods!)
            {
                var operation = document.GetProperty("paths").GetProperty(function.ApiPath).GetProperty(method);
                var keyed = operation.TryGetProperty("security", out var security)
                    && security.EnumerateArray().Any(requirement => requirement.TryGetProperty("functionKey", out _));
                Assert.AreEqual(function.AuthLevel == "Function", keyed, $"{function.Name} {method}");
            }
        }
    }

    [TestMethod]
    public void OperationIdsAreUniqueAndNamedAfterTheirFunctions()
    {
        var ids = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => operation.Value.GetProperty("operationId").GetString()!))
            .ToList();

        Assert.HasCount(ids.Distinct().Count(), ids, string.Join(", ", ids));
        CollectionAssert.Contains(ids, "Health");
        CollectionAssert.Contains(ids, "MediaGet");
        CollectionAssert.Contains(ids, "MediaHead");
    }

    [TestMethod]
    public void MediaOperationDescribesStreamingRangesAndRevalidation()
    {
        var responses = document.GetProperty("paths").GetProperty("/api/media/{filename}").GetProperty("get").GetProperty("responses");

        var statuses = responses.EnumerateObject().Select(r => r.Name).ToList();

        CollectionAssert.IsSubsetOf(new[] { "200", "206", "304", "404", "416" }, statuses);
    }

    [TestMethod]
    public void DocumentIsValidOpenApiWithoutServerUrls()
    {
        var result = OpenApiDocument.Parse(json, OpenApiConstants.Json, new OpenApiReaderSettings());

        Assert.IsNotNull(result.Document);
        Assert.IsEmpty(result.Diagnostic?.Errors ?? [], string.Join("; ", result.Diagnostic?.Errors.Select(e => e.ToString()) ?? []));
        StringAssert.StartsWith(document.GetProperty("openapi").GetString(), "3.");
        Assert.IsFalse(document.TryGetProperty("servers", out var servers) && servers.GetArrayLength() > 0,
            "behind the Functions host the app cannot know its public URL");
    }
}
