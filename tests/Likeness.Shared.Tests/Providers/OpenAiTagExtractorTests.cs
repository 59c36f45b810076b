using System.Text.Json.Nodes;
using Likeness.Shared.Data;
using Likeness.Shared.Providers;
using Likeness.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Likeness.Shared.Tests.Providers;

[TestClass]
public sealed class OpenAiTagExtractorTests
{
    private static readonly BinaryData Jpeg = BinaryData.FromBytes([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]);
    private static readonly BinaryData Wav = BinaryData.FromBytes("RIFF fake wave"u8.ToArray());

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Token => TestContext.CancellationToken;

    [TestMethod]
    public async Task ImageTagsAreParsedAndValuesOutsideTheEnumsAreDropped()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.ChatAnswer = """
            {"gender":"FEMALE","bodyType":"ATHLETIC","hairColor":"PURPLE","hairLength":"long","hairType":null,
             "eyeColor":42,"skinColor":"OLIVE","ethnicity":"MIXED","faceShape":"OVAL","facialHair":"CLEAN_SHAVEN",
             "wearGlasses":true,"hasTattoos":"no","hasPiercings":false,"birthYear":1994,"mood":"HAPPY"}
            """;

        var tags = await Extractor(server).ExtractFromImageAsync(Jpeg, "image/jpeg", Token);

        Assert.AreEqual(new SearchAttributes
        {
            Gender = Gender.Female,
            BodyType = BodyType.Athletic,
            HairLength = HairLength.Long,
            SkinColor = SkinColor.Olive,
            Ethnicity = Ethnicity.Mixed,
            FaceShape = FaceShape.Oval,
            FacialHair = FacialHair.CleanShaven,
            WearGlasses = true,
            HasPiercings = false,
            BirthYear = 1994,
        }, tags);
    }

    [TestMethod]
    public async Task ImplausibleBirthYearIsDropped()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.ChatAnswer = """{"birthYear":1066,"gender":"MALE"}""";

        var tags = await Extractor(server).ExtractFromImageAsync(Jpeg, "image/jpeg", Token);

        Assert.AreEqual(new SearchAttributes { Gender = Gender.Male }, tags);
    }

    [TestMethod]
    public async Task ImageIsSentAsAnImagePartToTheVisionDeploymentWithAStrictSchemaOfOurLabels()
    {
        await using var server = await FakeOpenAiServer.StartAsync();

        await Extractor(server, new AiOptions { VisionModel = "vision-deployment" }).ExtractFromImageAsync(Jpeg, "image/jpeg", Token);

        var request = server.ChatRequests.Single();
        Assert.AreEqual("/openai/deployments/vision-deployment/chat/completions", request.Path);
        Assert.AreEqual("?api-version=2024-10-21", request.Query);
        Assert.AreEqual("test-key", request.Header("api-key"));
        var body = request.Json;
        var imagePart = UserParts(body).Single(part => part["type"]!.GetValue<string>() == "image_url");
        Assert.AreEqual("data:image/jpeg;base64," + Convert.ToBase64String(Jpeg.ToArray()), imagePart["image_url"]!["url"]!.GetValue<string>());

        var format = body["response_format"]!;
        Assert.AreEqual("json_schema", format["type"]!.GetValue<string>());
        Assert.IsTrue(format["json_schema"]!["strict"]!.GetValue<bool>());
        var schema = format["json_schema"]!["schema"]!;
        Assert.IsFalse(schema["additionalProperties"]!.GetValue<bool>());
        CollectionAssert.AreEquivalent(
            schema["properties"]!.AsObject().Select(p => p.Key).ToList(),
            schema["required"]!.AsArray().Select(n => n!.GetValue<string>()).ToList());
        CollectionAssert.AreEqual(
            DbEnum<HairColor>.AllLabels.Append(null).ToList(),
            schema["properties"]!["hairColor"]!["enum"]!.AsArray().Select(n => n?.GetValue<string>()).ToList());
        Assert.AreEqual("""["integer","null"]""", schema["properties"]!["birthYear"]!["type"]!.ToJsonString());
    }

    [TestMethod]
    public async Task VoiceIsSentAsAnInputAudioPartToTheAudioDeploymentWithTheSchemaInThePrompt()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.ChatAnswer = """
            Here you go:
            ```json
            {"voicePitch":"LOW","voiceTone":"WARM","accent":"BRITISH_RP","primaryLanguage":"ENGLISH","gender":"MALE"}
            ```
            """;

        var tags = await Extractor(server, new AiOptions { AudioModel = "audio-deployment" }).ExtractFromVoiceAsync(Wav, "audio/wav; codecs=1", Token);

        Assert.AreEqual(new SearchAttributes
        {
            VoicePitch = VoicePitch.Low,
            VoiceTone = VoiceTone.Warm,
            Accent = Accent.BritishRp,
            PrimaryLanguage = Language.English,
            Gender = Gender.Male,
        }, tags);
        var request = server.ChatRequests.Single();
        Assert.AreEqual("/openai/deployments/audio-deployment/chat/completions", request.Path);
        Assert.AreEqual("?api-version=2025-01-01-preview", request.Query, "the first api-version that takes audio input");
        var body = request.Json;
        Assert.AreEqual("system", body["messages"]![0]!["role"]!.GetValue<string>());
        // Audio models refuse json_schema response formats.
        Assert.IsNull(body["response_format"]);
        var parts = UserParts(body);
        var audio = parts.Single(part => part["type"]!.GetValue<string>() == "input_audio")["input_audio"]!;
        Assert.AreEqual(Convert.ToBase64String(Wav.ToArray()), audio["data"]!.GetValue<string>());
        Assert.AreEqual("wav", audio["format"]!.GetValue<string>());
        StringAssert.Contains(parts.Single(part => part["type"]!.GetValue<string>() == "text")["text"]!.GetValue<string>(), "\"BRITISH_RP\"");
    }

    [TestMethod]
    public async Task Mp3VoiceIsSentInTheMp3Format()
    {
        await using var server = await FakeOpenAiServer.StartAsync();

        await Extractor(server).ExtractFromVoiceAsync(Wav, "audio/mpeg", Token);

        var audio = UserParts(server.ChatRequests.Single().Json).Single(part => part["type"]!.GetValue<string>() == "input_audio");
        Assert.AreEqual("mp3", audio["input_audio"]!["format"]!.GetValue<string>());
    }

    [TestMethod]
    public async Task VoiceInAFormatAudioModelsDoNotTakeIsRejectedBeforeAnyCall()
    {
        await using var server = await FakeOpenAiServer.StartAsync();

        await Assert.ThrowsExactlyAsync<ArgumentException>(() => Extractor(server).ExtractFromVoiceAsync(Wav, "audio/ogg", Token));

        Assert.IsEmpty(server.Requests);
    }

    [TestMethod]
    public async Task DescriptionTagsAreParsedFromTheProfileText()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.ChatAnswer = """{"category":"ACTORS","contentNiche":"COMEDY","targetAudience":"AGE_18_35","country":"UK","primaryLanguage":"KLINGON"}""";

        var tags = await Extractor(server).ExtractFromDescriptionAsync("London-based comic actor.", Token);

        Assert.AreEqual(new SearchAttributes
        {
            Category = Category.Actors,
            ContentNiche = ContentNiche.Comedy,
            TargetAudience = TargetAudience.Age18To35,
            Country = Country.Uk,
        }, tags);
        var body = server.ChatRequests.Single().Json;
        StringAssert.Contains(body.ToJsonString(), "London-based comic actor.");
        Assert.AreEqual("json_schema", body["response_format"]!["type"]!.GetValue<string>());
    }

    [TestMethod]
    public async Task PhysicalDataIsAskedOfTheDescriptionInCentimetresAndKilogramsAndImplausibleValuesAreDropped()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.ChatAnswer = """{"height":175,"weight":900,"birthYear":1996}""";

        var tags = await Extractor(server).ExtractFromDescriptionAsync("5'9\", 62 kg, born 1996.", Token);

        Assert.AreEqual(new SearchAttributes { Height = 175, BirthYear = 1996 }, tags);
        var schema = server.ChatRequests.Single().Json["response_format"]!["json_schema"]!["schema"]!["properties"]!.AsObject();
        Assert.IsTrue(schema.ContainsKey("height") && schema.ContainsKey("weight") && schema.ContainsKey("birthYear"), schema.ToJsonString());
        StringAssert.Contains(server.ChatRequests.Single().Json.ToJsonString(), "centimetres");
    }

    [TestMethod]
    public async Task AnswerThatIsNotJsonIsAProviderException()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.ChatAnswer = "Sorry, I cannot help with that.";

        var error = await Assert.ThrowsExactlyAsync<ProviderException>(() => Extractor(server).ExtractFromDescriptionAsync("Actor.", Token));

        Assert.IsNull(error.StatusCode);
    }

    [TestMethod]
    public async Task AnswerThatIsAJsonArrayIsAProviderException()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.ChatAnswer = """["ACTORS"]""";

        await Assert.ThrowsExactlyAsync<ProviderException>(() => Extractor(server).ExtractFromDescriptionAsync("Actor.", Token));
    }

    [TestMethod]
    public async Task HtmlPageInsteadOfACompletionIsAProviderException()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.FailNext(1, FakeFailure.Html);

        await Assert.ThrowsExactlyAsync<ProviderException>(() => Extractor(server).ExtractFromDescriptionAsync("Actor.", Token));
    }

    [TestMethod]
    public async Task RateLimitIsAProviderExceptionWithRetryAfterWhenRetriesAreOff()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.FailNext(1, FakeFailure.TooManyRequests);

        var error = await Assert.ThrowsExactlyAsync<ProviderException>(
            () => Extractor(server, new AiOptions { MaxRetries = 0 }).ExtractFromImageAsync(Jpeg, "image/jpeg", Token));

        Assert.AreEqual(429, error.StatusCode);
        Assert.AreEqual(TimeSpan.FromSeconds(2), error.RetryAfter);
        Assert.HasCount(1, server.Requests);
    }

    [TestMethod]
    public async Task RateLimitIsRetriedBeforeAnyErrorWhenRetriesAreOn()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.RetryAfter = TimeSpan.FromSeconds(1);
        server.FailNext(1, FakeFailure.TooManyRequests);
        server.ChatAnswer = """{"gender":"FEMALE"}""";

        var tags = await Extractor(server, new AiOptions { MaxRetries = 1 }).ExtractFromImageAsync(Jpeg, "image/jpeg", Token);

        Assert.AreEqual(Gender.Female, tags.Gender);
        Assert.HasCount(2, server.Requests);
    }

    [TestMethod]
    public async Task VoiceRetriedAfterARateLimitKeepsTheApiVersionThatTakesAudio()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.RetryAfter = TimeSpan.FromSeconds(1);
        server.FailNext(1, FakeFailure.TooManyRequests);
        server.ChatAnswer = """{"voicePitch":"LOW"}""";

        var tags = await Extractor(server, new AiOptions { MaxRetries = 1 }).ExtractFromVoiceAsync(Wav, "audio/wav", Token);

        Assert.AreEqual(VoicePitch.Low, tags.VoicePitch);
        CollectionAssert.AreEqual(
            new[] { "?api-version=2025-01-01-preview", "?api-version=2025-01-01-preview" },
            server.ChatRequests.Select(r => r.Query).ToArray());
    }

    [TestMethod]
    public async Task VoiceAnswerThatIsNotACompletionIsAProviderException()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.FailNext(1, FakeFailure.Html);

        await Assert.ThrowsExactlyAsync<ProviderException>(() => Extractor(server).ExtractFromVoiceAsync(Wav, "audio/mpeg", Token));
    }

    [TestMethod]
    public async Task VoiceRateLimitIsAProviderExceptionWithRetryAfter()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.FailNext(1, FakeFailure.TooManyRequests);

        var error = await Assert.ThrowsExactlyAsync<ProviderException>(() => Extractor(server).ExtractFromVoiceAsync(Wav, "audio/mpeg", Token));

        Assert.AreEqual(429, error.StatusCode);
        Assert.AreEqual(TimeSpan.FromSeconds(2), error.RetryAfter);
    }

    [TestMethod]
    public async Task ServerErrorIsAProviderExceptionWithTheStatus()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.FailNext(1, FakeFailure.ServerError);

        var error = await Assert.ThrowsExactlyAsync<ProviderException>(() => Extractor(server).ExtractFromDescriptionAsync("Actor.", Token));

        Assert.AreEqual(500, error.StatusCode);
        Assert.IsNull(error.RetryAfter);
    }

    [TestMethod]
    public async Task AnswerSlowerThanTheTimeoutIsAProviderException()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.FailNext(1, FakeFailure.Hang);

        var error = await Assert.ThrowsExactlyAsync<ProviderException>(
            () => Extractor(server, new AiOptions { TimeoutSeconds = 1, MaxRetries = 0 }).ExtractFromDescriptionAsync("Actor.", Token));

        Assert.IsNull(error.StatusCode);
        StringAssert.Contains(error.Message, "did not answer within 1 s");
    }

    [TestMethod]
    public async Task CancellationByTheCallerIsNotAProviderException()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.FailNext(1, FakeFailure.Hang);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAsync<OperationCanceledException>(
            () => Extractor(server).ExtractFromDescriptionAsync("Actor.", cancellation.Token));
    }

    [TestMethod]
    public async Task UnreachableEndpointIsAProviderException()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        var endpoint = server.Endpoint;
        await server.DisposeAsync();

        var options = new AiOptions { Endpoint = endpoint, ApiKey = "test-key", MaxRetries = 0 };
        var extractor = new OpenAiTagExtractor(
            ProviderServiceCollectionExtensions.CreateOpenAiClient(options), Options.Create(options), NullLogger<OpenAiTagExtractor>.Instance);

        var error = await Assert.ThrowsExactlyAsync<ProviderException>(() => extractor.ExtractFromDescriptionAsync("Actor.", Token));

        Assert.IsNull(error.StatusCode);
    }

    /// <summary>The extractor the app would build, pointed at the fake, with fast failures unless <paramref name="settings"/> say otherwise.</summary>
    private static OpenAiTagExtractor Extractor(FakeOpenAiServer server, AiOptions? settings = null)
    {
        var options = settings ?? new AiOptions { MaxRetries = 0, TimeoutSeconds = 10 };
        options.Endpoint = server.Endpoint;
        options.ApiKey = "test-key";
        return new OpenAiTagExtractor(
            ProviderServiceCollectionExtensions.CreateOpenAiClient(options), Options.Create(options), NullLogger<OpenAiTagExtractor>.Instance);
    }

    private static List<JsonNode> UserParts(JsonNode body) =>
        body["messages"]!.AsArray().Single(m => m!["role"]!.GetValue<string>() == "user")!["content"]!.AsArray().Select(p => p!).ToList();
}
