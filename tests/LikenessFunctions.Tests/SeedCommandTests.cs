using System.Net;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Likeness.Shared.Data;
using Likeness.Shared.Seeding;
using Likeness.Testing;
using LikenessOps;

namespace LikenessFunctions.Tests;

/// <summary><c>seed</c> run as the real app command against a private database and Azurite.</summary>
[TestClass]
public sealed class SeedCommandTests
{
    private TestDatabase db = null!;

    [TestInitialize]
    public async Task CreateDatabaseAsync() => db = await TestDatabase.CreateAsync();

    [TestCleanup]
    public async Task DropDatabaseAndBlobsAsync()
    {
        foreach (var (container, blob) in await RowsAsync("SELECT s3_bucket, s3_key FROM media", r => (r.GetString(0), r.GetString(1))))
        {
            await TestStorage.Service.GetBlobContainerClient(container).GetBlobClient(blob).DeleteIfExistsAsync();
        }
        await db.DisposeAsync();
    }

    [TestMethod]
    public async Task SeedCreatesIndexableAccountsWithAssetsTermsLinksMediaAndOneEventEach()
    {
        var (exitCode, output) = await AppProcess.RunCommandAsync(db.ConnectionString, "seed", "--accounts", "20");

        Assert.AreEqual(0, exitCode, output);
        StringAssert.Contains(output, "Seeded 20 demo account(s) from seed 42");
        Assert.AreEqual(20L, await CountAsync("SELECT count(*) FROM account WHERE display_name <> '' AND description <> '' AND image_url <> ''"));
        Assert.AreEqual(20L, await CountAsync("""
            SELECT count(DISTINCT account_id) FROM likeness_assets
            WHERE type = 'IMAGE' AND search_tags ? 'hairColor' AND search_tags ? 'category'
            """));
        Assert.AreEqual(20L, await CountAsync("SELECT count(DISTINCT account_id) FROM ip_terms WHERE type = 'LIKENESS' AND status = 'APPROVED'"));
        Assert.AreEqual(20L, await CountAsync("SELECT count(DISTINCT account_id) FROM account_social_links WHERE url LIKE 'https://%'"));
        Assert.AreEqual(0L, await CountAsync("SELECT count(*) FROM likeness_assets WHERE search_tags IS NULL"), "tags come pre-extracted");
        Assert.AreEqual(20L, await CountAsync(
            "SELECT count(*) FROM likeness_need_indexing_queue WHERE status = 'PENDING' AND element_type = 'LIKENESS_TERM' AND info->>'source' = 'demo-seed'"));
        Assert.AreEqual(20L, await CountAsync("SELECT count(DISTINCT account_id) FROM likeness_need_indexing_queue"));
    }

    [TestMethod]
    public async Task EveryMediaReferenceIsACompleteFileWithItsBlob()
    {
        var (exitCode, output) = await AppProcess.RunCommandAsync(db.ConnectionString, "seed", "--accounts", "20");
        Assert.AreEqual(0, exitCode, output);

        var dangling = await CountAsync("""
            SELECT count(*) FROM (
                SELECT content_url AS filename FROM likeness_assets
                UNION ALL SELECT voice_sample_url FROM likeness_assets WHERE voice_sample_url IS NOT NULL
                UNION ALL SELECT image_url FROM account) refs
            WHERE NOT EXISTS (SELECT 1 FROM media m WHERE m.filename = refs.filename AND m.status = 'COMPLETE')
            """);
        var files = await RowsAsync("SELECT s3_bucket, s3_key, content_type FROM media", r => (r.GetString(0), r.GetString(1), r.GetString(2)));

        Assert.AreEqual(0L, dangling);
        Assert.IsNotEmpty(files);
        foreach (var (container, blob, contentType) in files)
        {
            BlobProperties properties = await TestStorage.Service.GetBlobContainerClient(container).GetBlobClient(blob).GetPropertiesAsync();
            Assert.AreEqual(contentType, properties.ContentType);
            Assert.IsTrue(properties.ContentLength is > 40 and < 20_000, $"{blob}: {properties.ContentLength} bytes");
        }
    }

    [TestMethod]
    public async Task VoiceSamplesExistOnlyUnderAnApprovedVoiceOverTerm()
    {
        var (exitCode, output) = await AppProcess.RunCommandAsync(db.ConnectionString, "seed", "--accounts", "20");
        Assert.AreEqual(0, exitCode, output);

        const string approvedVoiceOver =
            "EXISTS (SELECT 1 FROM ip_terms t WHERE t.account_id = a.account_id AND t.type = 'VOICE_OVER' AND t.status = 'APPROVED')";
        var withSample = await CountAsync($"SELECT count(*) FROM likeness_assets a WHERE type = 'VOICE' AND voice_sample_url IS NOT NULL AND {approvedVoiceOver}");
        var withoutTerm = await CountAsync($"SELECT count(*) FROM likeness_assets a WHERE voice_sample_url IS NOT NULL AND NOT {approvedVoiceOver}");
        var missing = await CountAsync($"SELECT count(*) FROM likeness_assets a WHERE type = 'VOICE' AND voice_sample_url IS NULL AND {approvedVoiceOver}");

        Assert.IsGreaterThan(0L, withSample);
        Assert.AreEqual(0L, withoutTerm);
        Assert.AreEqual(0L, missing);
        Assert.IsGreaterThan(0L, await CountAsync("SELECT count(*) FROM likeness_assets WHERE type = 'VOICE' AND search_tags ? 'voicePitch'"));
    }

    [TestMethod]
    public async Task IfEmptySkipsADatabaseThatAlreadyHasAccounts()
    {
        var first = await AppProcess.RunCommandAsync(db.ConnectionString, "seed", "--accounts", "20");
        var before = await TableCountsAsync();

        var second = await AppProcess.RunCommandAsync(db.ConnectionString, "seed", "--if-empty", "--accounts", "20");

        Assert.AreEqual(0, first.ExitCode, first.Output);
        Assert.AreEqual(0, second.ExitCode, second.Output);
        StringAssert.Contains(second.Output, "Seeding skipped (--if-empty): the database already has 20 account(s).");
        CollectionAssert.AreEqual(before, await TableCountsAsync());
    }

    [TestMethod]
    public async Task IfEmptySeedsAnEmptyDatabase()
    {
        var (exitCode, output) = await AppProcess.RunCommandAsync(db.ConnectionString, "seed", "--accounts=5", "--if-empty");

        Assert.AreEqual(0, exitCode, output);
        Assert.AreEqual(5L, await CountAsync("SELECT count(*) FROM account"));
    }

    [TestMethod]
    public async Task TheSameSeedAgainLeavesItsAccountsAloneWhileAnotherSeedAddsNewPeople()
    {
        var first = await AppProcess.RunCommandAsync(db.ConnectionString, "seed", "--accounts", "10");
        var again = await AppProcess.RunCommandAsync(db.ConnectionString, "seed", "--accounts", "10");
        var other = await AppProcess.RunCommandAsync(db.ConnectionString, "seed", "--accounts", "10", "--seed", "7");

        Assert.AreEqual(0, first.ExitCode, first.Output);
        StringAssert.Contains(again.Output, "Seeded 0 demo account(s) from seed 42 (10 of this seed already existed and were left alone)");
        StringAssert.Contains(other.Output, "Seeded 10 demo account(s) from seed 7");
        Assert.AreEqual(20L, await CountAsync("SELECT count(*) FROM account"));
        Assert.AreEqual(20L, await CountAsync("SELECT count(*) FROM likeness_need_indexing_queue"));
    }

    [TestMethod]
    [DataRow("--accounts", "many")]
    [DataRow("--accounts", "-3")]
    [DataRow("--accounts")]
    [DataRow("--accounts", "2000000")]
    [DataRow("--seed", "x")]
    [DataRow("--if-empty=yes")]
    [DataRow("--verbose")]
    public void WrongArgumentsAreRefusedWithAReason(params string[] args)
    {
        var (options, error) = OpsCommands.ParseSeed(args);

        Assert.IsNull(options);
        Assert.IsFalse(string.IsNullOrWhiteSpace(error));
    }

    [TestMethod]
    public void ArgumentsParseInAnyOrderAndEitherForm()
    {
        Assert.AreEqual(new DemoDataOptions(), OpsCommands.ParseSeed([]).Options);
        Assert.AreEqual(new DemoDataOptions { Accounts = 5, IfEmpty = true }, OpsCommands.ParseSeed(["--if-empty", "--accounts", "5"]).Options);
        Assert.AreEqual(new DemoDataOptions { Accounts = 7, Seed = 9 }, OpsCommands.ParseSeed(["--seed=9", "--accounts=7"]).Options);
    }

    [TestMethod]
    public async Task WrongArgumentsExitWith2AndTheUsageWithoutSeeding()
    {
        var (exitCode, output) = await AppProcess.RunCommandAsync(db.ConnectionString, "seed", "--accounts", "many");

        Assert.AreEqual(2, exitCode, output);
        StringAssert.Contains(output, "--accounts takes a whole number");
        StringAssert.Contains(output, OpsCommands.Usage);
        Assert.AreEqual(0L, await CountAsync("SELECT count(*) FROM account"));
    }

    [TestMethod]
    public async Task QueuedEventsIndexSeededAccountsIntoSearchAndTheirImagesAreServed()
    {
        var (exitCode, output) = await AppProcess.RunCommandAsync(db.ConnectionString, "seed", "--accounts", "20");
        Assert.AreEqual(0, exitCode, output);
        await using var app = await AppProcess.StartAsync(db.ConnectionString);

        var run = await app.InvokeAsync("ProcessIndexingQueue");
        var image = (string)(await db.ScalarAsync("SELECT image_url FROM account ORDER BY slug LIMIT 1"))!;
        using var picture = await app.Client.GetAsync($"/api/media/{image}");
        var bytes = await picture.Content.ReadAsByteArrayAsync();

        StringAssert.Contains(run, "completed 20");
        Assert.AreEqual(20L, await CountAsync("SELECT count(*) FROM likeness_need_indexing_queue WHERE status = 'COMPLETED'"), app.Output);
        Assert.AreEqual(20L, await CountAsync("SELECT count(*) FROM likeness_search WHERE hair_color IS NOT NULL AND number_of_followers > 0"));
        Assert.AreEqual(20L, await CountAsync("SELECT count(*) FROM likeness_search_vector"));
        Assert.AreEqual(HttpStatusCode.OK, picture.StatusCode);
        Assert.AreEqual("image/png", picture.Content.Headers.ContentType?.MediaType);
        CollectionAssert.AreEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
    }

    [TestMethod]
    public void ProfilesAreDeterministicPerSeedAndIndex()
    {
        var first = Enumerable.Range(0, 50).Select(i => Serialize(DemoProfiles.Generate(42, i))).ToList();
        var again = Enumerable.Range(0, 50).Select(i => Serialize(DemoProfiles.Generate(42, i))).ToList();
        var otherSeed = Enumerable.Range(0, 50).Select(i => Serialize(DemoProfiles.Generate(43, i))).ToList();

        CollectionAssert.AreEqual(first, again);
        Assert.AreEqual(50, first.Distinct().Count());
        Assert.IsEmpty(first.Intersect(otherSeed));
        Assert.AreEqual(50, Enumerable.Range(0, 50).Select(i => DemoProfiles.Generate(42, i).Slug).Distinct().Count());
    }

    [TestMethod]
    public void AttributesFollowSkewedRealisticDistributions()
    {
        var profiles = Enumerable.Range(0, 4000).Select(i => DemoProfiles.Generate(42, i).Person).ToList();
        double Share(Func<SearchAttributes, bool> predicate) => profiles.Count(predicate) / (double)profiles.Count;
        var followers = profiles.Select(p => p.NumberOfFollowers!.Value).Order().ToList();

        Assert.IsGreaterThan(0.5, Share(p => p.HairColor is HairColor.Black or HairColor.Brown));
        Assert.IsLessThan(0.04, Share(p => p.HairColor == HairColor.Red));
        Assert.IsLessThan(0.01, Share(p => p.HairColor == HairColor.White));
        Assert.IsGreaterThan(Share(p => p.EyeColor == EyeColor.Amber) * 10, Share(p => p.EyeColor == EyeColor.Brown));
        Assert.IsGreaterThan(0.2, Share(p => p.Country == Country.Usa));
        Assert.IsLessThan(0.02, Share(p => p.Country == Country.Israel));
        Assert.AreEqual(0.0, Share(p => p.Gender == Gender.Female && p.FacialHair != FacialHair.CleanShaven));
        // Log-normal reach: a typical account is small, the largest are thousands of times bigger.
        Assert.IsTrue(followers[followers.Count / 2] is > 3_000 and < 60_000, $"median {followers[followers.Count / 2]}");
        Assert.IsGreaterThan(followers[followers.Count / 2] * 500L, followers[^1]);
        Assert.IsTrue(profiles.All(p => p.Height is >= 145 and <= 206 && p.BirthYear is >= 1954 and <= 2008));
    }

    private static string Serialize(DemoProfile profile) => JsonSerializer.Serialize(profile, LikenessJson.Options);

    private async Task<long> CountAsync(string sql) => (long)(await db.ScalarAsync(sql))!;

    private async Task<long[]> TableCountsAsync() =>
    [
        await CountAsync("SELECT count(*) FROM account"),
        await CountAsync("SELECT count(*) FROM likeness_assets"),
        await CountAsync("SELECT count(*) FROM ip_terms"),
        await CountAsync("SELECT count(*) FROM account_social_links"),
        await CountAsync("SELECT count(*) FROM media"),
        await CountAsync("SELECT count(*) FROM likeness_need_indexing_queue"),
    ];

    private async Task<List<T>> RowsAsync<T>(string sql, Func<Npgsql.NpgsqlDataReader, T> map)
    {
        await using var command = db.DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(map(reader));
        }
        return rows;
    }
}
