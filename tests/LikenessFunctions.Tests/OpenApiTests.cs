using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Likeness.Shared.Data;
using Likeness.Shared.Search;
using Likeness.Testing;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace LikenessFunctions.Tests;

/// <summary>
/// <c>GET /api/openapi.json</c> from the running app, checked against <see cref="FunctionContract"/>,
/// against an OpenAPI reader, and against the app itself: what it accepts and what it answers.
/// </summary>
[TestClass]
public sealed class OpenApiTests
{
    private const string Search = "/api/likeness/search";
    private const string Similar = "/api/likeness/accounts/{accountId}/similar";
    private const string Queue = "/api/likeness/queue";
    private const string QueueEvent = "/api/likeness/queue/{eventId}";

    private static TestDatabase db = null!;
    private static AppProcess app = null!;
    private static string json = null!;
    private static JsonElement document;
    private static Account indexed = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        db = await TestDatabase.CreateAsync(context.CancellationToken);
        var random = new Random(3131);
        for (var i = 0; i < 12; i++)
        {
            indexed = await SearchTestData.IndexedAccountAsync(db.DataSource, RandomSearchData.Attributes(random));
        }
        // Every indexed account is a semantic neighbour, so that semantic results are certain.
        app = await AppProcess.StartAsync(db.ConnectionString, new Dictionary<string, string> { ["Search__MaxDistance"] = "2" });
        using var response = await app.Client.GetAsync("/api/openapi.json", context.CancellationToken);
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, app.Output);
        Assert.AreEqual("application/json", response.Content.Headers.ContentType?.MediaType);
        json = await response.Content.ReadAsStringAsync(context.CancellationToken);
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

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => (path.Name, operation.Name, operation.Value)));

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
        var ids = Operations.Select(o => o.Operation.GetProperty("operationId").GetString()!).ToList();

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
    public void DocumentIsValidOpenApi31WithoutServerUrls()
    {
        var result = OpenApiDocument.Parse(json, OpenApiConstants.Json, new OpenApiReaderSettings());

        Assert.IsNotNull(result.Document);
        Assert.IsEmpty(result.Diagnostic?.Errors ?? [], string.Join("; ", result.Diagnostic?.Errors.Select(e => e.ToString()) ?? []));
        Assert.AreEqual(OpenApiSpecVersion.OpenApi3_1, result.Diagnostic!.SpecificationVersion);
        StringAssert.StartsWith(document.GetProperty("openapi").GetString(), "3.1.");
        Assert.IsFalse(document.TryGetProperty("servers", out var servers) && servers.GetArrayLength() > 0,
            "behind the Functions host the app cannot know its public URL");
    }

    [TestMethod]
    public void OperationsAreTaggedByCapabilityRatherThanByClass()
    {
        var declared = document.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("name").GetString()!).ToList();

        CollectionAssert.AreEquivalent(new[] { "Search", "Media", "Indexing queue", "Health", "OpenAPI" }, declared);
        foreach (var (path, method, operation) in Operations)
        {
            var tags = operation.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToList();
            Assert.HasCount(1, tags, $"{method} {path}");
            CollectionAssert.Contains(declared, tags[0], $"{method} {path}");
        }
        Assert.AreEqual("Search", Tag(Similar, "get"));
        Assert.AreEqual("Indexing queue", Tag(QueueEvent, "get"));
    }

    [TestMethod]
    public void NumbersAreTypedAsNumbersAndNeverAsStrings()
    {
        var mixed = Nodes(JsonNode.Parse(json)!).OfType<JsonObject>()
            .Where(schema => schema["type"] is JsonArray types && types.Any(t => (string?)t == "string") && types.Any(t => (string?)t is "integer" or "number"))
            .Select(schema => schema.GetPath())
            .ToList();

        Assert.IsEmpty(mixed, string.Join(", ", mixed));
        Assert.AreEqual("integer", Component("SearchResultPage").GetProperty("properties").GetProperty("total").GetProperty("type").GetString());
        Assert.AreEqual("number", Component("HealthReportBody").GetProperty("properties").GetProperty("durationMs").GetProperty("type").GetString());
    }

    [TestMethod]
    public void GetSearchDocumentsEveryAttributeFilterWithItsValuesAndEveryOtherField()
    {
        var parameters = QueryParameters(Search);

        foreach (var attribute in SearchAttributeCatalog.All)
        {
            switch (attribute)
            {
                case FlagAttribute flag:
                    Assert.AreEqual("boolean", parameters[flag.Name].GetProperty("schema").GetProperty("type").GetString());
                    break;
                case DiscreteAttribute discrete:
                    var items = parameters[discrete.Name].GetProperty("schema").GetProperty("items");
                    CollectionAssert.AreEqual(discrete.Labels.ToArray(), items.GetProperty("enum").EnumerateArray().Select(v => v.GetString()).ToArray());
                    break;
                case RangeAttribute range:
                    foreach (var name in new[] { range.MinName, range.MaxName })
                    {
                        Assert.AreEqual(range.IsWhole ? "integer" : "number", parameters[name].GetProperty("schema").GetProperty("type").GetString());
                        StringAssert.Contains(parameters[name].GetProperty("description").GetString(), range.Unit);
                    }
                    break;
            }
        }
        CollectionAssert.IsSubsetOf(new[] { "q", "assetType", "limit", "offset", "strict", "facets" }, parameters.Keys.ToList());
        StringAssert.Contains(parameters["minHeight"].GetProperty("description").GetString(), "cm");
        StringAssert.Contains(parameters["minWeight"].GetProperty("description").GetString(), "kg");
        StringAssert.Contains(parameters["minEngagementRate"].GetProperty("description").GetString(), "percent");
    }

    [TestMethod]
    public void PostSearchBodyHoldsTheSameFieldsAsGetAndNothingElse()
    {
        var body = Component("SearchRequest");

        CollectionAssert.AreEquivalent(QueryParameters(Search).Keys.ToList(), body.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList());
        Assert.IsFalse(body.GetProperty("additionalProperties").GetBoolean());
        Assert.AreEqual("#/components/schemas/SearchRequest",
            Path(Search, "post").GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
    }

    [TestMethod]
    public void LookalikeSearchDocumentsNoTextStrictFiltersOrFacets()
    {
        var parameters = QueryParameters(Similar);

        Assert.IsTrue(parameters.ContainsKey("hairColor") && parameters.ContainsKey("limit"));
        Assert.IsFalse(parameters.ContainsKey("q") || parameters.ContainsKey("strict") || parameters.ContainsKey("facets"));
    }

    [TestMethod]
    [DataRow(Search)]
    [DataRow(Similar)]
    public async Task EveryQueryParameterTheDocumentListsIsAcceptedByTheRunningApp(string path)
    {
        var refused = new List<string>();
        foreach (var (name, parameter) in QueryParameters(path))
        {
            var url = $"{Url(path)}?{name}={Uri.EscapeDataString(ValidValue(parameter.GetProperty("schema")))}";
            using var response = await app.Client.GetAsync(url, TestContext.CancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                refused.Add($"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(TestContext.CancellationToken)}");
            }
        }

        Assert.IsEmpty(refused, string.Join(Environment.NewLine, refused));
    }

    [TestMethod]
    [DataRow(Search)]
    [DataRow(Similar)]
    public async Task AQueryParameterTheDocumentDoesNotListIsRefusedByName(string path)
    {
        Assert.IsFalse(QueryParameters(path).ContainsKey("colour"));

        using var response = await app.Client.GetAsync($"{Url(path)}?colour=BLONDE", TestContext.CancellationToken);

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.CancellationToken)).RootElement;
        Assert.IsTrue(problem.GetProperty("errors").TryGetProperty("colour", out _), problem.GetRawText());
    }

    /// <summary>Requests whose answers cover every response the document gives a schema, but 503 and the media bytes.</summary>
    public static IEnumerable<object?[]> Answers =>
    [
        ["GET", Search, "?hairColor=BLONDE,BROWN&q=tall+actress&strict=none&facets=all", null, null, 200],
        ["GET", Search, "?assetType=IMAGE&limit=3&offset=1", null, null, 200],
        ["POST", Search, "", """{"q":"warm voice","gender":["FEMALE","MALE"],"facets":["hairColor"],"limit":5}""", "application/json", 200],
        ["GET", Search, "?limit=0&colour=RED", null, null, 400],
        ["POST", Search, "", """{"limit":"many"}""", "application/json", 400],
        ["POST", Search, "", """{"q":"x"}""", "text/plain", 415],
        ["POST", Search, "", "{\"q\":\"" + new string('a', 70_000) + "\"}", "application/json", 413],
        ["GET", Search, "?q=" + new string('a', 5000), null, null, 414],
        ["GET", Similar, "", null, null, 200],
        ["GET", Similar, "?hairColor=RED&limit=2", null, null, 200],
        ["GET", "/api/likeness/accounts/no-such-account/similar", "", null, null, 404],
        ["POST", Queue, "", """{"accountId":"{accountId}","elementType":"SOCIAL_DATA","info":{"source":"test"}}""", "application/json", 202],
        ["POST", Queue, "", """{"accountId":"no-such-account","elementType":"SOCIAL_DATA"}""", "application/json", 404],
        ["POST", Queue, "", """{"elementType":"NOPE"}""", "application/json", 400],
        ["GET", "/api/likeness/queue/no-such-event", "", null, null, 404],
        ["GET", "/api/media/no-such-file.jpg", "", null, null, 404],
        ["GET", "/api/health", "", null, null, 200],
        ["GET", "/api/openapi.json", "", null, null, 200],
    ];

    [TestMethod]
    [DynamicData(nameof(Answers))]
    public async Task RealAnswersMatchTheSchemaTheDocumentGivesForTheirStatus(string method, string path, string query, string? body, string? contentType, int status)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), Url(path) + query);
        if (body is not null)
        {
            request.Content = new StringContent(body.Replace("{accountId}", indexed.Id, StringComparison.Ordinal), Encoding.UTF8);
            request.Content.Headers.ContentType = new(contentType!);
        }

        using var response = await app.Client.SendAsync(request, TestContext.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.CancellationToken);

        Assert.AreEqual(status, (int)response.StatusCode, text);
        AssertMatchesDocument(Template(path), method.ToLowerInvariant(), response, text);
    }

    [TestMethod]
    public async Task AQueuedEventAsTheQueueAnswersItMatchesItsSchema()
    {
        var queued = await new LikenessNeedIndexingQueueAccess(db.DataSource).AddToQueueAsync(indexed.Id, QueueElementType.SocialData, null, null, TestContext.CancellationToken);

        using var response = await app.Client.GetAsync($"/api/likeness/queue/{queued.Id}", TestContext.CancellationToken);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        AssertMatchesDocument(QueueEvent, "get", response, await response.Content.ReadAsStringAsync(TestContext.CancellationToken));
    }

    [TestMethod]
    public async Task SearchResultsOfEveryKindAndFacetsAreInTheAnswersTheSchemasAreCheckedAgainst()
    {
        using var response = await app.Client.GetAsync($"{Search}?hairColor=BLONDE&q=tall+actress&strict=none&facets=all", TestContext.CancellationToken);
        var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.CancellationToken)).RootElement;

        var matches = page.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("match").GetString()).ToHashSet();
        CollectionAssert.AreEquivalent(new[] { SearchMatch.Exact, SearchMatch.Partial, SearchMatch.Semantic }, matches.ToList(), page.GetRawText());
        Assert.AreEqual(JsonValueKind.Object, page.GetProperty("facets").ValueKind);
    }

    [TestMethod]
    public void WrittenPropertiesAreNullableOnlyWhereTheApiWritesNullAndThoseAreRequired()
    {
        var requests = Operations.Where(o => o.Operation.TryGetProperty("requestBody", out _))
            .Select(o => o.Operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()!.Split('/')[^1])
            .ToHashSet();
        var wrong = new List<string>();
        foreach (var component in document.GetProperty("components").GetProperty("schemas").EnumerateObject().Where(c => !requests.Contains(c.Name)))
        {
            var required = component.Value.TryGetProperty("required", out var names) ? names.EnumerateArray().Select(n => n.GetString()).ToHashSet() : [];
            foreach (var property in component.Value.TryGetProperty("properties", out var properties) ? properties.EnumerateObject().ToList() : [])
            {
                if (AllowsNull(property.Value) && !required.Contains(property.Name))
                {
                    wrong.Add($"{component.Name}.{property.Name}");
                }
            }
        }

        Assert.IsEmpty(wrong, "left out when null, so never null: " + string.Join(", ", wrong));
        var page = Component("SearchResultPage");
        CollectionAssert.IsSubsetOf(new[] { "semanticTotal", "partialTotal", "nextOffset", "total", "hasMore" },
            page.GetProperty("required").EnumerateArray().Select(n => n.GetString()).ToList());
        Assert.IsTrue(AllowsNull(page.GetProperty("properties").GetProperty("nextOffset")));
        Assert.IsFalse(Component("SearchResult").GetProperty("required").EnumerateArray().Any(n => n.GetString() == "displayName"),
            "a missing display name is left out");
    }

    [TestMethod]
    public void EveryOperationHasAnExampleThatMatchesItsSchema()
    {
        foreach (var (path, method, operation) in Operations)
        {
            var examples = new List<(JsonElement Schema, JsonElement Example)>();
            if (operation.TryGetProperty("requestBody", out var body))
            {
                examples.AddRange(Examples(body));
            }
            foreach (var response in operation.GetProperty("responses").EnumerateObject())
            {
                examples.AddRange(Examples(response.Value));
            }

            Assert.IsNotEmpty(examples, $"{method} {path} has no example");
            foreach (var (schema, example) in examples)
            {
                AssertValid(schema, example.GetRawText(), $"example of {method} {path}");
            }
        }
    }

    private static IEnumerable<(JsonElement Schema, JsonElement Example)> Examples(JsonElement withContent) =>
        withContent.TryGetProperty("content", out var content)
            ? content.EnumerateObject().Where(m => m.Value.TryGetProperty("example", out _)).Select(m => (m.Value.GetProperty("schema"), m.Value.GetProperty("example")))
            : [];

    private static void AssertMatchesDocument(string path, string method, HttpResponseMessage response, string body)
    {
        var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        Assert.IsTrue(Path(path, method).GetProperty("responses").TryGetProperty(status, out var documented), $"{method} {path} does not document {status}");
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        Assert.IsTrue(documented.GetProperty("content").TryGetProperty(mediaType!, out var media), $"{method} {path} {status} does not document {mediaType}: {body}");
        AssertValid(media.GetProperty("schema"), body, $"{method} {path} {status}");
    }

    [TestMethod]
    public void TheSchemaCheckRefusesAnswersThatDoNotMatch()
    {
        var page = JsonDocument.Parse("""{"$ref":"#/components/schemas/SearchResultPage"}""").RootElement;
        const string Valid = """{"results":[{"accountId":"a","slug":"s","match":"exact","attributes":{"gender":"FEMALE"}}],"total":1,"limit":1,"offset":0,"semanticTotal":null,"hasMore":false,"nextOffset":null,"partialTotal":null}""";

        Assert.IsTrue(Evaluate(page, Valid).IsValid);
        Assert.IsFalse(Evaluate(page, Valid.Replace("\"total\":1", "\"total\":\"1\"", StringComparison.Ordinal)).IsValid, "a number as a string");
        Assert.IsFalse(Evaluate(page, Valid.Replace(",\"nextOffset\":null", "", StringComparison.Ordinal)).IsValid, "a required property missing");
        Assert.IsFalse(Evaluate(page, Valid.Replace("FEMALE", "NOPE", StringComparison.Ordinal)).IsValid, "a label outside the enum");
        Assert.IsFalse(Evaluate(page, Valid.Replace("\"slug\":\"s\"", "\"slug\":\"s\",\"displayName\":null", StringComparison.Ordinal)).IsValid, "null where the API leaves the property out");
    }

    private static void AssertValid(JsonElement schema, string instance, string what)
    {
        var result = Evaluate(schema, instance);

        Assert.IsTrue(result.IsValid, $"{what}: {instance[..Math.Min(instance.Length, 2000)]}{Environment.NewLine}"
            + string.Join(Environment.NewLine, result.Details?.Where(d => d.Errors is { Count: > 0 }).Select(d => $"{d.InstanceLocation} ({d.EvaluationPath}): {string.Join("; ", d.Errors!.Values)}") ?? []));
    }

    /// <summary>Evaluates JSON against a schema of the document, as JSON Schema 2020-12 (OpenAPI 3.1's dialect), its references resolved within the document's components.</summary>
    private static EvaluationResults Evaluate(JsonElement schema, string instance)
    {
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = JsonNode.Parse(document.GetProperty("components").GetProperty("schemas").GetRawText()),
            ["allOf"] = new JsonArray(JsonNode.Parse(schema.GetRawText())),
        };
        var text = root.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        var compiled = JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri($"https://likeness.test/{Guid.NewGuid():N}"));

        return compiled.Evaluate(JsonDocument.Parse(instance).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    /// <summary>A value the parameter's schema allows: its first enum value, its minimum, or some text.</summary>
    private static string ValidValue(JsonElement schema) => schema.GetProperty("type").GetString() switch
    {
        "array" => ValidValue(schema.GetProperty("items")),
        "boolean" => "true",
        "integer" or "number" => schema.TryGetProperty("minimum", out var minimum) ? minimum.GetRawText() : "1",
        _ => schema.TryGetProperty("enum", out var values) ? values[0].GetString()! : "tall actress",
    };

    private static Dictionary<string, JsonElement> QueryParameters(string path) =>
        Path(path, "get").GetProperty("parameters").EnumerateArray()
            .Where(p => p.GetProperty("in").GetString() == "query")
            .ToDictionary(p => p.GetProperty("name").GetString()!);

    private static JsonElement Path(string path, string method) => document.GetProperty("paths").GetProperty(path).GetProperty(method);

    private static JsonElement Component(string name) => document.GetProperty("components").GetProperty("schemas").GetProperty(name);

    private static string? Tag(string path, string method) => Path(path, method).GetProperty("tags")[0].GetString();

    private static bool AllowsNull(JsonElement schema) =>
        (schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.Array && type.EnumerateArray().Any(t => t.GetString() == "null"))
        || (schema.TryGetProperty("anyOf", out var choices) && choices.EnumerateArray().Any(AllowsNull));

    private static string Url(string path) => path.Replace("{accountId}", indexed.Id, StringComparison.Ordinal);

    /// <summary>The documented path an actual one falls under.</summary>
    private static string Template(string path) => path switch
    {
        _ when path.StartsWith("/api/likeness/accounts/", StringComparison.Ordinal) => Similar,
        _ when path.StartsWith("/api/likeness/queue/", StringComparison.Ordinal) => QueueEvent,
        _ when path.StartsWith("/api/media/", StringComparison.Ordinal) => "/api/media/{filename}",
        _ => path,
    };

    private static IEnumerable<JsonNode> Nodes(JsonNode node) => node switch
    {
        JsonObject o => o.Select(p => p.Value).OfType<JsonNode>().SelectMany(Nodes).Prepend(o),
        JsonArray a => a.OfType<JsonNode>().SelectMany(Nodes).Prepend(a),
        _ => [node],
    };
}
