using Likeness.Shared.Data;
using Likeness.Testing;
using Npgsql;
using Pgvector;

namespace Likeness.Shared.Tests.Data;

[TestClass]
public sealed class LikenessSearchVectorAccessTests
{
    private const double Tolerance = 1e-6;

    // Cosine distances from TestData.Axis(0): itself 0, halfway to another axis 1 - 1/sqrt(2),
    // another axis 1, the opposite direction 2.
    private static readonly double Halfway = 1 - (1 / Math.Sqrt(2));

    private static TestDatabase db = null!;
    private static LikenessSearchVectorAccess vectors = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext _)
    {
        db = await TestDatabase.CreateAsync();
        vectors = new LikenessSearchVectorAccess(db.DataSource);
    }

    [ClassCleanup]
    public static async Task CleanupAsync() => await db.DisposeAsync();

    [TestMethod]
    public async Task UpsertedVectorIsReadBackWithItsContentAndExactEmbedding()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var embedding = new Vector(Enumerable.Range(0, Embedding.Dimensions).Select(i => MathF.Sin(i) / 7).ToArray());

        await vectors.VectorUpsertAsync(account.Id, "female blonde actor", embedding);

        var read = await vectors.GetVectorByAccountIdAsync(account.Id);
        Assert.IsNotNull(read);
        Assert.AreEqual((account.Id, "female blonde actor"), (read.AccountId, read.Content));
        Assert.AreEqual(embedding, read.Embedding);
        Assert.AreEqual(read.CreatedAt, read.UpdatedAt);
    }

    [TestMethod]
    public async Task UpsertingAgainReplacesContentAndEmbeddingAndKeepsCreatedAt()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        await vectors.VectorUpsertAsync(account.Id, "old", TestData.Axis(0));
        var first = await vectors.GetVectorByAccountIdAsync(account.Id);

        await vectors.VectorUpsertAsync(account.Id, "new", TestData.Axis(1));

        var second = await vectors.GetVectorByAccountIdAsync(account.Id);
        Assert.AreEqual("new", second!.Content);
        Assert.AreEqual(TestData.Axis(1), second.Embedding);
        Assert.AreEqual(first!.CreatedAt, second.CreatedAt);
        Assert.IsGreaterThan(first.UpdatedAt, second.UpdatedAt);
        Assert.AreEqual(1L, await db.ScalarAsync("SELECT count(*) FROM likeness_search_vector WHERE account_id = $1", account.Id));
    }

    [TestMethod]
    public async Task MissingVectorReadsAsNullAndIsNotDeleted()
    {
        Assert.IsNull(await vectors.GetVectorByAccountIdAsync("no-such-account"));
        Assert.IsFalse(await vectors.DeleteFromVectorIndexAsync("no-such-account"));
    }

    [TestMethod]
    public async Task DeletingFromTheIndexRemovesOnlyThatAccountsVector()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var other = await TestData.CreateAccountAsync(db.DataSource);
        await vectors.VectorUpsertAsync(account.Id, "a", TestData.Axis(0));
        await vectors.VectorUpsertAsync(other.Id, "b", TestData.Axis(0));

        Assert.IsTrue(await vectors.DeleteFromVectorIndexAsync(account.Id));

        Assert.IsNull(await vectors.GetVectorByAccountIdAsync(account.Id));
        Assert.IsNotNull(await vectors.GetVectorByAccountIdAsync(other.Id));
    }

    [TestMethod]
    public async Task DeletingTheAccountDeletesItsVector()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        await vectors.VectorUpsertAsync(account.Id, "a", TestData.Axis(0));

        await new AccountsAccess(db.DataSource).DeleteAccountAsync(account.Id);

        Assert.IsNull(await vectors.GetVectorByAccountIdAsync(account.Id));
    }

    [TestMethod]
    public async Task VectorOfAMissingAccountIsRejectedByTheForeignKey()
    {
        var error = await Assert.ThrowsExactlyAsync<PostgresException>(() => vectors.VectorUpsertAsync("no-such-account", "a", TestData.Axis(0)));

        Assert.AreEqual(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
    }

    [TestMethod]
    public async Task InvalidEmbeddingsAreRejectedNamingTheArgument()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var notFinite = new float[Embedding.Dimensions];
        notFinite[7] = float.NaN;
        var options = new VectorSearchOptions { TopK = 5, MaxDistance = 2 };

        foreach (var embedding in new Vector[] { null!, new(new float[3]), new(new float[Embedding.Dimensions + 1]), new(notFinite) })
        {
            Assert.AreEqual("embedding", (await Assert.ThrowsAsync<ArgumentException>(() => vectors.VectorUpsertAsync(account.Id, "a", embedding))).ParamName);
            Assert.AreEqual("queryEmbedding", (await Assert.ThrowsAsync<ArgumentException>(() => vectors.VectorSearchAsync(embedding, 5, 2))).ParamName);
            Assert.AreEqual("queryEmbedding", (await Assert.ThrowsAsync<ArgumentException>(() => vectors.VectorSearchWithImageAssetsAsync(embedding, options))).ParamName);
            Assert.AreEqual("queryEmbedding", (await Assert.ThrowsAsync<ArgumentException>(() => vectors.VectorSearchWithVoiceAssetsAsync(embedding, options))).ParamName);
        }
        Assert.IsNull(await vectors.GetVectorByAccountIdAsync(account.Id));
    }

    [TestMethod]
    public async Task SearchOptionsOutsideTheirRangeAreRejectedNamingTheOption()
    {
        (VectorSearchOptions Options, string Name)[] invalid =
        [
            (new() { TopK = 0, MaxDistance = 1 }, "TopK"),
            (new() { TopK = VectorSearchOptions.MaxTopK + 1, MaxDistance = 1 }, "TopK"),
            (new() { TopK = 5, MaxDistance = -0.1 }, "MaxDistance"),
            (new() { TopK = 5, MaxDistance = double.NaN }, "MaxDistance"),
            (new() { TopK = 5, MaxDistance = 1, EfSearch = 0 }, "EfSearch"),
            (new() { TopK = 5, MaxDistance = 1, EfSearch = 1001 }, "EfSearch"),
            (new() { TopK = 5, MaxDistance = 1, ExcludeAccountId = " " }, "ExcludeAccountId"),
        ];

        foreach (var (options, name) in invalid)
        {
            Assert.AreEqual(name, (await Assert.ThrowsAsync<ArgumentException>(() => vectors.VectorSearchAsync(TestData.Axis(0), options))).ParamName);
            Assert.AreEqual(name, (await Assert.ThrowsAsync<ArgumentException>(() => vectors.VectorSearchWithImageAssetsAsync(TestData.Axis(0), options))).ParamName);
            Assert.AreEqual(name, (await Assert.ThrowsAsync<ArgumentException>(() => vectors.VectorSearchWithVoiceAssetsAsync(TestData.Axis(0), options))).ParamName);
        }
        Assert.AreEqual("topK", (await Assert.ThrowsAsync<ArgumentException>(() => vectors.VectorSearchAsync(TestData.Axis(0), 0, 1))).ParamName);
        Assert.AreEqual("maxDistance", (await Assert.ThrowsAsync<ArgumentException>(() => vectors.VectorSearchAsync(TestData.Axis(0), 5, double.NaN))).ParamName);
        Assert.AreEqual("opts", (await Assert.ThrowsAsync<ArgumentException>(() => vectors.VectorSearchWithImageAssetsAsync(TestData.Axis(0), null!))).ParamName);
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("  ")]
    public async Task BlankAccountIdOrNullContentIsRejectedNamingTheArgument(string? blank)
    {
        Assert.AreEqual("accountId", (await Assert.ThrowsAsync<ArgumentException>(() => vectors.VectorUpsertAsync(blank!, "a", TestData.Axis(0)))).ParamName);
        Assert.AreEqual("accountId", (await Assert.ThrowsAsync<ArgumentException>(() => vectors.GetVectorByAccountIdAsync(blank!))).ParamName);
        Assert.AreEqual("accountId", (await Assert.ThrowsAsync<ArgumentException>(() => vectors.DeleteFromVectorIndexAsync(blank!))).ParamName);
        Assert.AreEqual("content", (await Assert.ThrowsAsync<ArgumentException>(() => vectors.VectorUpsertAsync("a", null!, TestData.Axis(0)))).ParamName);
    }

    // The searches below rank the whole table, so each owns a database.

    [TestMethod]
    public async Task VectorsOfAnotherModelReadAsMissingAreNeverComparedAndAreCounted()
    {
        await using var own = await TestDatabase.CreateAsync();
        var current = new LikenessSearchVectorAccess(own.DataSource, "model-b");
        var previous = new LikenessSearchVectorAccess(own.DataSource, "model-a");
        var fresh = (await TestData.CreateAccountAsync(own.DataSource)).Id;
        var stale = (await TestData.CreateAccountAsync(own.DataSource)).Id;
        var unknown = (await TestData.CreateAccountAsync(own.DataSource)).Id;
        await current.VectorUpsertAsync(fresh, "tags", TestData.Between(0, 1));
        await previous.VectorUpsertAsync(stale, "tags", TestData.Axis(0));
        await previous.VectorUpsertAsync(unknown, "tags", TestData.Axis(0));
        await own.ScalarAsync("UPDATE likeness_search_vector SET embedding_model = NULL WHERE account_id = $1", unknown);
        var options = new VectorSearchOptions { TopK = 10, MaxDistance = 2 };

        Assert.AreEqual("model-b", (await current.GetVectorByAccountIdAsync(fresh))!.EmbeddingModel);
        Assert.IsNull(await current.GetVectorByAccountIdAsync(stale), "another model's vector is to be re-embedded");
        Assert.IsNull(await current.GetVectorByAccountIdAsync(unknown), "an unknown model is another model");
        AssertHits([(fresh, Halfway)], await current.VectorSearchAsync(TestData.Axis(0), options));
        Assert.AreEqual(fresh, (await current.VectorSearchWithImageAssetsAsync(TestData.Axis(0), options)).Single().AccountId);
        Assert.AreEqual(2L, await current.CountVectorsOfOtherModelsAsync());

        await current.VectorUpsertAsync(stale, "tags", TestData.Axis(0));

        Assert.AreEqual("model-b", (await current.GetVectorByAccountIdAsync(stale))!.EmbeddingModel);
        Assert.IsNull(await previous.GetVectorByAccountIdAsync(stale));
        Assert.AreEqual(1L, await current.CountVectorsOfOtherModelsAsync());
        Assert.HasCount(2, await current.VectorSearchAsync(TestData.Axis(0), options));
    }

    [TestMethod]
    public async Task NearestAccountsComeFirstWithTheirCosineDistances()
    {
        await using var own = await TestDatabase.CreateAsync();
        var access = new LikenessSearchVectorAccess(own.DataSource);
        var opposite = await TestData.CreateEmbeddedAccountAsync(own, TestData.Opposite(0));
        var same = await TestData.CreateEmbeddedAccountAsync(own, TestData.Axis(0));
        var other = await TestData.CreateEmbeddedAccountAsync(own, TestData.Axis(1));
        var halfway = await TestData.CreateEmbeddedAccountAsync(own, TestData.Between(0, 1));

        var hits = await access.VectorSearchAsync(TestData.Axis(0), 10, 2);

        AssertHits([(same, 0), (halfway, Halfway), (other, 1), (opposite, 2)], hits);
    }

    [TestMethod]
    public async Task TopKAndTheInclusiveDistanceCutOffLimitTheHits()
    {
        await using var own = await TestDatabase.CreateAsync();
        var access = new LikenessSearchVectorAccess(own.DataSource);
        var same = await TestData.CreateEmbeddedAccountAsync(own, TestData.Axis(0));
        var halfway = await TestData.CreateEmbeddedAccountAsync(own, TestData.Between(0, 1));
        var other = await TestData.CreateEmbeddedAccountAsync(own, TestData.Axis(1));
        await TestData.CreateEmbeddedAccountAsync(own, TestData.Opposite(0));

        AssertHits([(same, 0), (halfway, Halfway)], await access.VectorSearchAsync(TestData.Axis(0), 2, 2));
        AssertHits([(same, 0)], await access.VectorSearchAsync(TestData.Axis(0), 1, 2));
        AssertHits([(same, 0), (halfway, Halfway), (other, 1)], await access.VectorSearchAsync(TestData.Axis(0), 10, 1));
        AssertHits([(same, 0), (halfway, Halfway)], await access.VectorSearchAsync(TestData.Axis(0), 10, 0.5));
        AssertHits([(same, 0)], await access.VectorSearchAsync(TestData.Axis(0), 10, 0));
        AssertHits([(same, 0), (halfway, Halfway)], await access.VectorSearchAsync(TestData.Axis(0), 2, 1));
        Assert.IsEmpty(await access.VectorSearchAsync(TestData.Axis(2), 10, 0.5));
    }

    [TestMethod]
    public async Task AnEmptyIndexFindsNothing()
    {
        await using var own = await TestDatabase.CreateAsync();
        var access = new LikenessSearchVectorAccess(own.DataSource);
        var options = new VectorSearchOptions { TopK = 5, MaxDistance = 2 };

        Assert.IsEmpty(await access.VectorSearchAsync(TestData.Axis(0), 5, 2));
        Assert.IsEmpty(await access.VectorSearchWithImageAssetsAsync(TestData.Axis(0), options));
        Assert.IsEmpty(await access.VectorSearchWithVoiceAssetsAsync(TestData.Axis(0), options));
    }

    [TestMethod]
    public async Task LookalikesOfAnAccountAreFoundWithItsStoredEmbeddingLeavingItOut()
    {
        await using var own = await TestDatabase.CreateAsync();
        var access = new LikenessSearchVectorAccess(own.DataSource);
        var self = await TestData.CreateEmbeddedAccountAsync(own, TestData.Axis(3));
        var lookalike = await TestData.CreateEmbeddedAccountAsync(own, TestData.Between(3, 4));
        var unrelated = await TestData.CreateEmbeddedAccountAsync(own, TestData.Axis(4));
        var stored = await access.GetVectorByAccountIdAsync(self);

        var hits = await access.VectorSearchAsync(stored!.Embedding, new VectorSearchOptions { TopK = 2, MaxDistance = 2, ExcludeAccountId = self });

        AssertHits([(lookalike, Halfway), (unrelated, 1)], hits);
    }

    [TestMethod]
    public async Task ImageSearchReturnsEveryHitWithItsImageAssetsOldestFirst()
    {
        await using var own = await TestDatabase.CreateAsync();
        var access = new LikenessSearchVectorAccess(own.DataSource);
        var withImages = await TestData.CreateEmbeddedAccountAsync(own, TestData.Axis(0));
        var withoutImages = await TestData.CreateEmbeddedAccountAsync(own, TestData.Between(0, 1));
        var excluded = await TestData.CreateEmbeddedAccountAsync(own, TestData.Axis(0));
        await TestData.CreateEmbeddedAccountAsync(own, TestData.Opposite(0));
        var second = await TestData.InsertAssetAsync(own, withImages, "IMAGE", "second-ab12.jpg", null, minutesAgo: 1);
        var first = await TestData.InsertAssetAsync(own, withImages, "IMAGE", "first-cd34.jpg", null, minutesAgo: 2);
        await TestData.InsertAssetAsync(own, withImages, "VOICE", "voice-ef56.mp3", "sample-gh78.mp3", minutesAgo: 3);
        await TestData.InsertAssetAsync(own, withoutImages, "VOICE", "voice-ij90.mp3", "sample-kl12.mp3", minutesAgo: 3);
        await TestData.InsertAssetAsync(own, excluded, "IMAGE", "excluded-mn34.jpg", null, minutesAgo: 3);
        foreach (var file in new[] { "second-ab12.jpg", "first-cd34.jpg", "excluded-mn34.jpg" })
        {
            await TestMedia.SetAsync(own.DataSource, file);
        }

        var hits = await access.VectorSearchWithImageAssetsAsync(TestData.Axis(0), new VectorSearchOptions { TopK = 3, MaxDistance = 1, ExcludeAccountId = excluded });

        AssertHits([(withImages, 0), (withoutImages, Halfway)], hits.Select(h => new VectorSearchHit(h.AccountId, h.Distance)).ToList());
        CollectionAssert.AreEqual(new[] { new ImageAssetRef(first, "first-cd34.jpg"), new ImageAssetRef(second, "second-ab12.jpg") }, hits[0].Assets.ToArray());
        Assert.IsEmpty(hits[1].Assets);
    }

    [TestMethod]
    public async Task VoiceSearchReturnsOnlyApprovedVoiceOverAccountsWithTheirSampledVoiceAssets()
    {
        await using var own = await TestDatabase.CreateAsync();
        var access = new LikenessSearchVectorAccess(own.DataSource);
        var nearest = await VoiceAccountAsync(own, TestData.Axis(0), "APPROVED");
        var farther = await VoiceAccountAsync(own, TestData.Between(0, 1), "APPROVED");
        await VoiceAccountAsync(own, TestData.Axis(0), "PENDING");
        await VoiceAccountAsync(own, TestData.Axis(0), "REVOKED");
        var likenessOnly = await TestData.CreateEmbeddedAccountAsync(own, TestData.Axis(0));
        await TestData.InsertTermAsync(own, likenessOnly, "LIKENESS", "APPROVED");
        await TestData.InsertAssetAsync(own, likenessOnly, "VOICE", "voice-ab12.mp3", "sample-cd34.mp3", minutesAgo: 1);
        await TestMedia.SetAsync(own.DataSource, "sample-cd34.mp3");
        var unsampled = await TestData.CreateEmbeddedAccountAsync(own, TestData.Axis(0));
        await TestData.InsertTermAsync(own, unsampled, "VOICE_OVER", "APPROVED");
        await TestData.InsertAssetAsync(own, unsampled, "VOICE", "voice-ef56.mp3", null, minutesAgo: 1);
        var older = await TestData.InsertAssetAsync(own, nearest.AccountId, "VOICE", "older-gh78.mp3", "older-sample-ij90.mp3", minutesAgo: 10);
        await TestMedia.SetAsync(own.DataSource, "older-sample-ij90.mp3");
        await TestData.InsertAssetAsync(own, nearest.AccountId, "VOICE", "pending-kl12.mp3", null, minutesAgo: 1);
        await TestData.InsertAssetAsync(own, nearest.AccountId, "IMAGE", "photo-mn34.jpg", null, minutesAgo: 1);

        var hits = await access.VectorSearchWithVoiceAssetsAsync(TestData.Axis(0), new VectorSearchOptions { TopK = 10, MaxDistance = 2 });

        AssertHits([(nearest.AccountId, 0), (farther.AccountId, Halfway)], hits.Select(h => new VectorSearchHit(h.AccountId, h.Distance)).ToList());
        CollectionAssert.AreEqual(
            new[] { new VoiceAssetRef(older, "older-sample-ij90.mp3"), new VoiceAssetRef(nearest.AssetId, nearest.Sample) },
            hits[0].Assets.ToArray());
        CollectionAssert.AreEqual(new[] { new VoiceAssetRef(farther.AssetId, farther.Sample) }, hits[1].Assets.ToArray());
    }

    [TestMethod]
    public async Task VoiceSearchHonoursTopKDistanceAndExclusion()
    {
        await using var own = await TestDatabase.CreateAsync();
        var access = new LikenessSearchVectorAccess(own.DataSource);
        var self = await VoiceAccountAsync(own, TestData.Axis(0), "APPROVED");
        var near = await VoiceAccountAsync(own, TestData.Between(0, 1), "APPROVED");
        await VoiceAccountAsync(own, TestData.Axis(1), "APPROVED");
        await VoiceAccountAsync(own, TestData.Opposite(0), "APPROVED");

        var hits = await access.VectorSearchWithVoiceAssetsAsync(TestData.Axis(0), new VectorSearchOptions { TopK = 1, MaxDistance = 0.5, ExcludeAccountId = self.AccountId });

        Assert.AreEqual(near.AccountId, hits.Single().AccountId);
    }

    /// <summary>
    /// 150 accounts nearest the query have no approved voice term; 50 farther ones do. On a
    /// production-sized table the planner walks the HNSW index for this query (here forced by
    /// disabling sorts). A plain index scan hands back only ef_search candidates, all rejected:
    /// with iterative scans turned off this page comes back empty.
    /// </summary>
    [TestMethod]
    public async Task IterativeIndexScansFillThePageWhenTheNearestCandidatesAreFilteredOut()
    {
        await using var own = await TestDatabase.CreateAsync();
        var random = new Random(42);
        var query = TestData.Axis(0);
        var approved = new List<(string AccountId, double Distance)>();
        for (var i = 0; i < 200; i++)
        {
            var isNear = i < 150;
            var embedding = TestData.Noisy(query, isNear ? 0.02f : 0.06f, random);
            var voice = await VoiceAccountAsync(own, embedding, isNear ? "PENDING" : "APPROVED");
            if (!isNear)
            {
                approved.Add((voice.AccountId, TestData.CosineDistance(query, embedding)));
            }
        }
        var connection = new NpgsqlConnectionStringBuilder(own.ConnectionString) { Options = "-c enable_sort=off" };
        await using var indexPreferring = LikenessDataSource.Create(connection.ConnectionString);
        var access = new LikenessSearchVectorAccess(indexPreferring);

        var hits = await access.VectorSearchWithVoiceAssetsAsync(query, new VectorSearchOptions { TopK = 5, MaxDistance = 2, EfSearch = 10 });

        var expected = approved.OrderBy(a => a.Distance).Take(5).ToList();
        AssertHits(expected, hits.Select(h => new VectorSearchHit(h.AccountId, h.Distance)).ToList(), tolerance: 1e-5);
    }

    /// <summary>
    /// The 150 accounts nearest the query are men, the 50 farther ones women; strict filters ask
    /// for women. With the index walked (sorts disabled, as in the test above) and ef_search 10,
    /// every candidate a plain index scan hands back fails the filters, so only an iterative scan
    /// that applies them inside the query fills the page.
    /// </summary>
    [TestMethod]
    public async Task StrictFiltersReturnOnlyMatchingAccountsEvenWhenTheNearestNeighboursAllFailThem()
    {
        await using var own = await TestDatabase.CreateAsync();
        var search = new LikenessSearchAccess(own.DataSource);
        var random = new Random(7);
        var query = TestData.Axis(0);
        var women = new List<(string AccountId, double Distance)>();
        for (var i = 0; i < 200; i++)
        {
            var isNear = i < 150;
            var embedding = TestData.Noisy(query, isNear ? 0.02f : 0.06f, random);
            var accountId = await TestData.CreateEmbeddedAccountAsync(own, embedding);
            await search.UpsertSearchIndexAsync(accountId, new SearchAttributes { Gender = isNear ? Gender.Male : Gender.Female, Category = Category.Actors });
            if (!isNear)
            {
                women.Add((accountId, TestData.CosineDistance(query, embedding)));
            }
        }
        // Nearest of all, but without a search row: no strict filter can be satisfied by it.
        await TestData.CreateEmbeddedAccountAsync(own, query);
        var connection = new NpgsqlConnectionStringBuilder(own.ConnectionString) { Options = "-c enable_sort=off" };
        await using var indexPreferring = LikenessDataSource.Create(connection.ConnectionString);
        var access = new LikenessSearchVectorAccess(indexPreferring);
        var options = new VectorSearchOptions
        {
            TopK = 5,
            MaxDistance = 2,
            EfSearch = 10,
            Filters = new SearchFilters { Genders = [Gender.Female], Categories = [Category.Actors, Category.Models] },
        };

        var hits = await access.VectorSearchAsync(query, options);
        var withImages = await access.VectorSearchWithImageAssetsAsync(query, options);

        var expected = women.OrderBy(w => w.Distance).Take(5).ToList();
        AssertHits(expected, hits, tolerance: 1e-5);
        AssertHits(expected, withImages.Select(h => new VectorSearchHit(h.AccountId, h.Distance)).ToList(), tolerance: 1e-5);
    }

    [TestMethod]
    public async Task StrictFiltersOfEveryKindApplyAsTheExactSearchAppliesThem()
    {
        await using var own = await TestDatabase.CreateAsync();
        var search = new LikenessSearchAccess(own.DataSource);
        var access = new LikenessSearchVectorAccess(own.DataSource);
        async Task<string> AccountAsync(Vector embedding, SearchAttributes attributes)
        {
            var accountId = await TestData.CreateEmbeddedAccountAsync(own, embedding);
            await search.UpsertSearchIndexAsync(accountId, attributes);
            return accountId;
        }
        var match = new SearchAttributes { Gender = Gender.Female, IsVerified = true, Height = 175, NumberOfFollowers = 50_000 };
        var near = await AccountAsync(TestData.Axis(0), match);
        var far = await AccountAsync(TestData.Axis(1), match with { Height = 180 });
        var wrongFlag = await AccountAsync(TestData.Axis(0), match with { IsVerified = false });
        var unknownFlag = await AccountAsync(TestData.Axis(0), match with { IsVerified = null });
        var tooTall = await AccountAsync(TestData.Axis(0), match with { Height = 181 });
        var unknownHeight = await AccountAsync(TestData.Axis(0), match with { Height = null });
        var tooFewFollowers = await AccountAsync(TestData.Axis(0), match with { NumberOfFollowers = 9_999 });
        var filters = new SearchFilters { Genders = [Gender.Female], IsVerified = true, MinHeight = 170, MaxHeight = 180, MinFollowers = 10_000 };

        var hits = await access.VectorSearchAsync(TestData.Axis(0), new VectorSearchOptions { TopK = 10, MaxDistance = 2, Filters = filters });
        var unfiltered = await access.VectorSearchAsync(TestData.Axis(0), new VectorSearchOptions { TopK = 10, MaxDistance = 2, Filters = new SearchFilters() });
        var exact = await search.SearchByFiltersAsync(filters, 10, 0);

        AssertHits([(near, 0), (far, 1)], hits);
        CollectionAssert.AreEquivalent(exact.Rows.Select(r => r.AccountId).ToArray(), hits.Select(h => h.AccountId).ToArray());
        CollectionAssert.AreEquivalent(
            new[] { near, far, wrongFlag, unknownFlag, tooTall, unknownHeight, tooFewFollowers },
            unfiltered.Select(h => h.AccountId).ToArray(),
            "no filter set means no strict filter");
    }

    [TestMethod]
    public async Task StrictFiltersWithAnEmptyRangeAreRejectedNamingTheFilters()
    {
        var options = new VectorSearchOptions { TopK = 5, MaxDistance = 2, Filters = new SearchFilters { MinHeight = 190, MaxHeight = 180 } };

        Assert.AreEqual("Filters", (await Assert.ThrowsAsync<ArgumentException>(() => vectors.VectorSearchAsync(TestData.Axis(0), options))).ParamName);
        Assert.AreEqual("Filters", (await Assert.ThrowsAsync<ArgumentException>(() => vectors.VectorSearchWithVoiceAssetsAsync(TestData.Axis(0), options))).ParamName);
    }

    [TestMethod]
    public async Task ImagesWhoseMediaIsNotCompleteNeverAppear()
    {
        await using var own = await TestDatabase.CreateAsync();
        var access = new LikenessSearchVectorAccess(own.DataSource);
        var accountId = await TestData.CreateEmbeddedAccountAsync(own, TestData.Axis(0));
        var complete = await TestData.InsertAssetAsync(own, accountId, "IMAGE", "complete-ab12.jpg", null, minutesAgo: 5);
        await TestMedia.SetAsync(own.DataSource, "complete-ab12.jpg");
        foreach (var status in new[] { MediaStatus.Uploading, MediaStatus.SoftDelete, MediaStatus.Delete })
        {
            var file = $"{DbEnum<MediaStatus>.ToLabel(status).ToLowerInvariant().Replace('_', '-')}-cd34.jpg";
            await TestData.InsertAssetAsync(own, accountId, "IMAGE", file, null, minutesAgo: 4);
            await TestMedia.SetAsync(own.DataSource, file, status);
        }
        await TestData.InsertAssetAsync(own, accountId, "IMAGE", "unregistered-ef56.jpg", null, minutesAgo: 3);

        var hit = (await access.VectorSearchWithImageAssetsAsync(TestData.Axis(0), new VectorSearchOptions { TopK = 5, MaxDistance = 2 })).Single();

        CollectionAssert.AreEqual(new[] { new ImageAssetRef(complete, "complete-ab12.jpg") }, hit.Assets.ToArray());
    }

    [TestMethod]
    public async Task VoiceSamplesWhoseMediaIsNotCompleteNeverAppearNorMakeTheAccountACandidate()
    {
        await using var own = await TestDatabase.CreateAsync();
        var access = new LikenessSearchVectorAccess(own.DataSource);
        var playable = await VoiceAccountAsync(own, TestData.Axis(0), "APPROVED");
        await TestData.InsertAssetAsync(own, playable.AccountId, "VOICE", "voice-ab12.mp3", "uploading-sample-ab12.mp3", minutesAgo: 1);
        await TestMedia.SetAsync(own.DataSource, "uploading-sample-ab12.mp3", MediaStatus.Uploading);
        foreach (var status in new MediaStatus?[] { MediaStatus.Uploading, MediaStatus.SoftDelete, MediaStatus.Delete, null })
        {
            var accountId = await TestData.CreateEmbeddedAccountAsync(own, TestData.Axis(0));
            await TestData.InsertTermAsync(own, accountId, "VOICE_OVER", "APPROVED");
            var sample = MediaFilename.Create("sample.mp3");
            await TestData.InsertAssetAsync(own, accountId, "VOICE", MediaFilename.Create("voice.mp3"), sample, minutesAgo: 1);
            if (status is not null)
            {
                await TestMedia.SetAsync(own.DataSource, sample, status.Value);
            }
        }

        var hit = (await access.VectorSearchWithVoiceAssetsAsync(TestData.Axis(0), new VectorSearchOptions { TopK = 10, MaxDistance = 2 })).Single();

        Assert.AreEqual(playable.AccountId, hit.AccountId);
        CollectionAssert.AreEqual(new[] { new VoiceAssetRef(playable.AssetId, playable.Sample) }, hit.Assets.ToArray());
    }

    private static void AssertHits(IReadOnlyList<(string AccountId, double Distance)> expected, IReadOnlyList<VectorSearchHit> actual, double tolerance = Tolerance)
    {
        CollectionAssert.AreEqual(expected.Select(e => e.AccountId).ToArray(), actual.Select(a => a.AccountId).ToArray());
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.AreEqual(expected[i].Distance, actual[i].Distance, tolerance, expected[i].AccountId);
        }
    }

    /// <summary>An embedded account with a VOICE_OVER term in <paramref name="termStatus"/> and one sampled voice asset whose sample is COMPLETE.</summary>
    private static async Task<(string AccountId, string AssetId, string Sample)> VoiceAccountAsync(TestDatabase database, Vector embedding, string termStatus)
    {
        var accountId = await TestData.CreateEmbeddedAccountAsync(database, embedding);
        await TestData.InsertTermAsync(database, accountId, "VOICE_OVER", termStatus);
        var sample = MediaFilename.Create("sample.mp3");
        var assetId = await TestData.InsertAssetAsync(database, accountId, "VOICE", MediaFilename.Create("voice.mp3"), sample, minutesAgo: 5);
        await TestMedia.SetAsync(database.DataSource, sample);
        return (accountId, assetId, sample);
    }
}
