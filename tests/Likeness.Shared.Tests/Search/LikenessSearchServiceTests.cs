using Likeness.Testing;
using Likeness.Shared.Data;
using Likeness.Shared.Indexing;
using Likeness.Shared.Providers;
using Likeness.Shared.Search;
using Moq;

namespace Likeness.Shared.Tests.Search;

[TestClass]
public sealed class LikenessSearchServiceTests
{
    private const double Tolerance = 1e-5;

    // Every account has the same kinds of attributes, so distances reflect the values alone.
    private static readonly SearchAttributes Profile = new()
    {
        Category = Category.Models,
        Gender = Gender.Female,
        Country = Country.Usa,
        NumberOfFollowers = 50_000,
        PrimaryPlatform = Platform.Instagram,
        IsVerified = true,
        ContentNiche = ContentNiche.Fashion,
        BirthYear = 1995,
        Height = 172,
        BodyType = BodyType.Slim,
        HairColor = HairColor.Blonde,
        HairLength = HairLength.Long,
        EyeColor = EyeColor.Blue,
        SkinColor = SkinColor.Fair,
        HasTattoos = false,
        VoicePitch = VoicePitch.Medium,
        PrimaryLanguage = Language.English,
    };

    private static readonly SearchFilters BlondeWomen = new() { HairColors = [HairColor.Blonde], Genders = [Gender.Female] };

    // No strict filters: these tests are about ranking and paging, which strict filters only narrow.
    private static readonly SearchOptions Everything = new() { MaxDistance = 2, DefaultStrict = SearchOptions.NoStrictAttributes };

    // For the semantic part alone: accounts meeting some filters would otherwise be partial matches.
    private static readonly SearchOptions SemanticOnly = new() { MaxDistance = 2, DefaultStrict = SearchOptions.NoStrictAttributes, PartialMatches = false };

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Token => TestContext.CancellationToken;

    [TestMethod]
    public async Task ExactMatchesComeFirstMostFollowedFirstThenPartialMatchesThenSemanticMatchesNearestFirstWithoutRepeats()
    {
        await using var index = await SearchTestIndex.CreateAsync();
        var few = await index.AccountAsync(Profile with { NumberOfFollowers = 500 });
        var many = await index.AccountAsync(Profile with { NumberOfFollowers = 900_000 });
        var brunette = await index.AccountAsync(Profile with { HairColor = HairColor.Brown });
        var man = await index.AccountAsync(Profile with { Gender = Gender.Male, HairColor = HairColor.Black, EyeColor = EyeColor.Brown });
        var redhead = await index.AccountAsync(Profile with { HairColor = HairColor.Red, Country = Country.Ireland });

        var blondeMan = await index.AccountAsync(Profile with { Gender = Gender.Male, NumberOfFollowers = 80_000 });

        var page = await index.Service(Everything).SearchAsync(new SearchQuery { Filters = BlondeWomen, Limit = 10 }, Token);

        Assert.AreEqual(2L, page.Total);
        CollectionAssert.AreEqual(new[] { many.Id, few.Id }, page.Results.Take(2).Select(r => r.AccountId).ToArray());
        Assert.IsTrue(page.Results.Take(2).All(r => r is { Match: SearchMatch.Exact, Distance: null, Matched: null }));
        // One of the two filters each, most followed first (the two women tie, so by id).
        var partial = page.Results.Skip(2).Take(3).ToList();
        CollectionAssert.AreEqual(
            new[] { blondeMan.Id }.Concat(new[] { brunette.Id, redhead.Id }.Order(StringComparer.Ordinal)).ToList(),
            partial.Select(r => r.AccountId).ToList());
        Assert.IsTrue(partial.All(r => r is { Match: SearchMatch.Partial, Distance: null }));
        CollectionAssert.AreEqual(new[] { "hairColor" }, partial[0].Matched!.ToArray());
        CollectionAssert.AreEqual(new[] { "gender" }, partial[0].Unmatched!.ToArray());
        Assert.AreEqual(3L, page.PartialTotal);
        var semantic = page.Results.Skip(5).Single();
        Assert.AreEqual((man.Id, SearchMatch.Semantic), (semantic.AccountId, semantic.Match));
        Assert.IsEmpty(semantic.Matched!);
        Assert.AreEqual(page.Results.Count, page.Results.Select(r => r.AccountId).Distinct().Count());
    }

    [TestMethod]
    public async Task PartialMatchesFillThePageOnlyWhenExactMatchesRunShort()
    {
        await using var index = await SearchTestIndex.CreateAsync();
        for (var i = 0; i < 3; i++)
        {
            await index.AccountAsync(Profile with { NumberOfFollowers = 1000 + i });
        }
        await index.AccountAsync(Profile with { HairColor = HairColor.Brown });
        var service = index.Service(Everything);

        var within = await service.SearchAsync(new SearchQuery { Filters = BlondeWomen, Limit = 2 }, Token);
        var full = await service.SearchAsync(new SearchQuery { Filters = BlondeWomen, Limit = 3 }, Token);
        var short_ = await service.SearchAsync(new SearchQuery { Filters = BlondeWomen, Limit = 4 }, Token);

        Assert.IsTrue(full.Results.All(r => r.Match == SearchMatch.Exact));
        Assert.HasCount(3, full.Results);
        CollectionAssert.AreEqual(new[] { SearchMatch.Exact, SearchMatch.Exact, SearchMatch.Exact, SearchMatch.Partial }, short_.Results.Select(r => r.Match).ToArray());
        Assert.IsNull(within.PartialTotal, "not counted on a page that ends among the exact matches");
        Assert.AreEqual((true, 1L), (full.HasMore, full.PartialTotal!.Value), "the partial match follows the last exact one");
        Assert.AreEqual((false, 1L), (short_.HasMore, short_.PartialTotal!.Value));
    }

    [TestMethod]
    public async Task PartialMatchesSatisfyTheStrictFiltersAndTheMostOfTheOthersComeFirst()
    {
        await using var index = await SearchTestIndex.CreateAsync();
        var tattooedBrunette = await index.AccountAsync(Profile with { HairColor = HairColor.Brown, HasTattoos = true, NumberOfFollowers = 10 });
        var brunette = await index.AccountAsync(Profile with { HairColor = HairColor.Brown, NumberOfFollowers = 9_000_000 });
        await index.AccountAsync(Profile with { Gender = Gender.Male, HasTattoos = true });
        await index.AccountAsync(Profile with { HairColor = HairColor.Red, Height = 150 });
        var filters = BlondeWomen with { HasTattoos = true, MinHeight = 170 };

        var page = await index.Service(new SearchOptions { MaxDistance = 0 }).SearchAsync(new SearchQuery { Filters = filters }, Token);

        // Gender is strict by default: the tattooed blonde man is no partial match.
        CollectionAssert.AreEqual(new[] { tattooedBrunette.Id, brunette.Id }, page.Results.Select(r => r.AccountId).ToArray());
        CollectionAssert.AreEqual(new[] { "gender", "height", "hasTattoos" }, page.Results[0].Matched!.ToArray());
        CollectionAssert.AreEqual(new[] { "hairColor" }, page.Results[0].Unmatched!.ToArray());
        CollectionAssert.AreEqual(new[] { "hairColor", "hasTattoos" }, page.Results[1].Unmatched!.ToArray());
        Assert.AreEqual((0L, 2L), (page.Total, page.PartialTotal!.Value));
    }

    [TestMethod]
    public async Task TheStrictFiltersNarrowTheVectorQueryItselfSoNearerAccountsThatFailThemCannotCrowdOutAMatch()
    {
        await using var index = await SearchTestIndex.CreateAsync();
        var woman = await index.AccountAsync(Profile with { HairColor = HairColor.Brown });
        // More men at distance 0 than the deepest vector query fetches: discarded after the
        // fact, they would leave nothing for the woman behind them.
        var men = await TestData.SeedAccountsAsync(index.Db, VectorSearchOptions.MaxTopK + 1);
        var query = new SearchQuery { Filters = BlondeWomen, Strict = [SearchAttributeCatalog.Get("gender")] };
        var text = TagText.Normalize(SearchAttributeCatalog.PinnedAttributes(query.Filters));
        await index.Db.ScalarAsync(
            "INSERT INTO likeness_search (id, account_id, gender, hair_color) SELECT 's' || a, a, 'MALE', 'BLONDE' FROM unnest($1::text[]) AS t(a)", (object)men);
        await index.Db.ScalarAsync(
            "INSERT INTO likeness_search_vector (account_id, content, embedding, embedding_model) SELECT a, $2, $3, $4 FROM unnest($1::text[]) AS t(a)",
            men, text, await index.Embedder.EmbedAsync(text, Token), index.Embedder.Model);

        var page = await index.Service(new SearchOptions { MaxDistance = 2, PartialMatches = false }).SearchAsync(query, Token);

        CollectionAssert.AreEqual(new[] { woman.Id }, page.Results.Select(r => r.AccountId).ToArray());
        Assert.AreEqual(SearchMatch.Semantic, page.Results[0].Match);
    }

    [TestMethod]
    public async Task WithNothingToEmbedThereAreOnlyExactMatches()
    {
        await using var index = await SearchTestIndex.CreateAsync();
        var blonde = await index.AccountAsync(Profile);
        var brunette = await index.AccountAsync(Profile with { HairColor = HairColor.Brown, NumberOfFollowers = 10 });
        await index.AccountAsync(Profile with { HairColor = HairColor.Red });
        var service = index.Service(Everything);

        // Two hair colours pin no attribute, so there is no text to search by.
        var twoColours = await service.SearchAsync(new SearchQuery { Filters = new() { HairColors = [HairColor.Blonde, HairColor.Brown] } }, Token);
        var browse = await service.SearchAsync(new SearchQuery(), Token);

        CollectionAssert.AreEqual(new[] { blonde.Id, brunette.Id }, twoColours.Results.Select(r => r.AccountId).ToArray());
        Assert.AreEqual(2L, twoColours.Total);
        Assert.AreEqual(3L, browse.Total);
        Assert.IsTrue(browse.Results.All(r => r.Match == SearchMatch.Exact));
    }

    [TestMethod]
    public async Task SemanticMatchesStayWithinTheMaximumDistance()
    {
        await using var index = await SearchTestIndex.CreateAsync();
        var exact = await index.AccountAsync(Profile);
        var others = new[]
        {
            await index.AccountAsync(Profile with { HairColor = HairColor.Brown }),
            await index.AccountAsync(Profile with { Gender = Gender.Male }),
            await index.AccountAsync(Profile with { Gender = Gender.Male, HairColor = HairColor.Black }),
            await index.AccountAsync(new SearchAttributes { Category = Category.Actors, Country = Country.Japan }),
            await index.AccountAsync(new SearchAttributes { HairColor = HairColor.Red, Gender = Gender.Male, VoiceTone = VoiceTone.Raspy }),
        };
        var distances = await index.DistancesAsync(TagText.Normalize(new SearchAttributes { Gender = Gender.Female, HairColor = HairColor.Blonde }));
        var otherDistances = others.Select(a => distances[a.Id]).Order().ToList();
        var maxDistance = (otherDistances[1] + otherDistances[2]) / 2;

        var page = await index.Service(new SearchOptions { MaxDistance = maxDistance, DefaultStrict = SearchOptions.NoStrictAttributes, PartialMatches = false })
            .SearchAsync(new SearchQuery { Filters = BlondeWomen }, Token);

        var expected = others.Where(a => distances[a.Id] <= maxDistance).OrderBy(a => distances[a.Id]).Select(a => a.Id).ToList();
        Assert.HasCount(2, expected);
        CollectionAssert.AreEqual(new[] { exact.Id }.Concat(expected).ToList(), page.Results.Select(r => r.AccountId).ToList());
        foreach (var result in page.Results.Skip(1))
        {
            Assert.AreEqual(distances[result.AccountId], result.Distance!.Value, Tolerance);
        }
    }

    [TestMethod]
    public async Task PagingThroughExactPartialAndSemanticMatchesGivesTheOneListWithoutRepeats()
    {
        await using var index = await SearchTestIndex.CreateAsync();
        for (var i = 0; i < 5; i++)
        {
            await index.AccountAsync(Profile with { NumberOfFollowers = 1000 * i });
            await index.AccountAsync(Profile with { HairColor = HairColor.Brown, Height = 160 + i });
            await index.AccountAsync(Profile with { Gender = Gender.Male, Height = 180 + i });
            await index.AccountAsync(Profile with { Gender = Gender.Male, HairColor = HairColor.Black, Height = 190 + i });
        }
        var service = index.Service(Everything);

        var whole = await service.SearchAsync(new SearchQuery { Filters = BlondeWomen, Limit = 100 }, Token);
        var pages = new List<SearchResult>();
        for (var offset = 0; offset < 24; offset += 4)
        {
            var page = await service.SearchAsync(new SearchQuery { Filters = BlondeWomen, Limit = 4, Offset = offset }, Token);
            Assert.AreEqual((5L, 4, offset), (page.Total, page.Limit, page.Offset));
            pages.AddRange(page.Results);
        }

        Assert.HasCount(20, whole.Results);
        CollectionAssert.AreEqual(
            Enumerable.Repeat(SearchMatch.Exact, 5).Concat(Enumerable.Repeat(SearchMatch.Partial, 10)).Concat(Enumerable.Repeat(SearchMatch.Semantic, 5)).ToList(),
            whole.Results.Select(r => r.Match).ToList());
        CollectionAssert.AreEqual(whole.Results.Select(r => (r.AccountId, r.Match)).ToList(), pages.Select(r => (r.AccountId, r.Match)).ToList());
        Assert.AreEqual(20, pages.Select(r => r.AccountId).Distinct().Count());
    }

    [TestMethod]
    public async Task FreeTextAloneGivesSemanticMatchesOnlyAndNoExactTotal()
    {
        await using var index = await SearchTestIndex.CreateAsync();
        var redhead = await index.AccountAsync(Profile with { HairColor = HairColor.Red, NumberOfFollowers = 1 });
        await index.AccountAsync(Profile with { NumberOfFollowers = 9_000_000 });

        var page = await index.Service(Everything).SearchAsync(new SearchQuery { Text = "hair color: red" }, Token);

        Assert.AreEqual(0L, page.Total);
        Assert.HasCount(2, page.Results);
        Assert.IsTrue(page.Results.All(r => r.Match == SearchMatch.Semantic));
        Assert.AreEqual(redhead.Id, page.Results[0].AccountId);
    }

    [TestMethod]
    public async Task FreeTextAndPinnedFiltersAreSearchedTogether()
    {
        await using var index = await SearchTestIndex.CreateAsync();
        var tattooedBrunette = await index.AccountAsync(Profile with { HairColor = HairColor.Brown, HasTattoos = true, VoiceTone = VoiceTone.Raspy });
        await index.AccountAsync(Profile with { HairColor = HairColor.Brown });

        var page = await index.Service(SemanticOnly).SearchAsync(new SearchQuery { Filters = BlondeWomen, Text = "raspy voice with tattoos" }, Token);

        Assert.AreEqual(tattooedBrunette.Id, page.Results[0].AccountId);
    }

    [TestMethod]
    public async Task ImagesComeWithEveryResultWhenAskedForAsProxyUrlsOldestFirstAndOnlyWhenServable()
    {
        await using var index = await SearchTestIndex.CreateAsync();
        var assets = new LikenessAssetsAccess(index.Db.DataSource);
        var exact = await index.AccountAsync(Profile);
        var first = await assets.CreateAssetAsync(new NewLikenessAsset(exact.Id, AssetType.Image, "front-aa11.jpg"), Token);
        var second = await assets.CreateAssetAsync(new NewLikenessAsset(exact.Id, AssetType.Image, "side-bb22.jpg"), Token);
        await assets.CreateAssetAsync(new NewLikenessAsset(exact.Id, AssetType.Voice, "voice-cc33.mp3", VoiceSampleUrl: "sample-dd44.mp3"), Token);
        var near = await index.AccountAsync(Profile with { HairColor = HairColor.Brown });
        var nearImage = await assets.CreateAssetAsync(new NewLikenessAsset(near.Id, AssetType.Image, "near-ee55.png"), Token);
        var far = await index.AccountAsync(Profile with { Gender = Gender.Male, HairColor = HairColor.Brown });
        var farImage = await assets.CreateAssetAsync(new NewLikenessAsset(far.Id, AssetType.Image, "far-gg77.png"), Token);
        var bare = await index.AccountAsync(Profile with { NumberOfFollowers = 1 });
        await assets.CreateAssetAsync(new NewLikenessAsset(bare.Id, AssetType.Image, "uploading-ff66.jpg"), Token);
        foreach (var servable in new[] { "front-aa11.jpg", "side-bb22.jpg", "near-ee55.png", "far-gg77.png" })
        {
            await TestMedia.SetAsync(index.Db.DataSource, servable);
        }
        await TestMedia.SetAsync(index.Db.DataSource, "uploading-ff66.jpg", MediaStatus.Uploading);
        var service = index.Service(Everything);

        var withImages = await service.SearchAsync(new SearchQuery { Filters = BlondeWomen, AssetType = AssetType.Image }, Token);
        var without = await service.SearchAsync(new SearchQuery { Filters = BlondeWomen }, Token);

        var byId = withImages.Results.ToDictionary(r => r.AccountId);
        CollectionAssert.AreEqual(new[] { new MediaLink(first.Id, "/api/media/front-aa11.jpg"), new MediaLink(second.Id, "/api/media/side-bb22.jpg") }, byId[exact.Id].Images!.ToArray());
        Assert.AreEqual(SearchMatch.Partial, byId[near.Id].Match);
        CollectionAssert.AreEqual(new[] { new MediaLink(nearImage.Id, "/api/media/near-ee55.png") }, byId[near.Id].Images!.ToArray());
        Assert.AreEqual(SearchMatch.Semantic, byId[far.Id].Match);
        CollectionAssert.AreEqual(new[] { new MediaLink(farImage.Id, "/api/media/far-gg77.png") }, byId[far.Id].Images!.ToArray());
        Assert.IsEmpty(byId[bare.Id].Images!);
        Assert.IsTrue(withImages.Results.All(r => r.VoiceSamples is null));
        Assert.IsTrue(without.Results.All(r => r.Images is null && r.VoiceSamples is null));
    }

    [TestMethod]
    public async Task VoiceSamplesComeOnlyFromAccountsWithAnApprovedVoiceOverTermAndSemanticMatchesOnlyFromThose()
    {
        await using var index = await SearchTestIndex.CreateAsync();
        var assets = new LikenessAssetsAccess(index.Db.DataSource);
        var terms = new IpTermsAccess(index.Db.DataSource);
        async Task<(Account Account, LikenessAsset Voice)> VoiceAccountAsync(SearchAttributes attributes, IpTermType termType, IpTermStatus status)
        {
            var account = await index.AccountAsync(attributes);
            await terms.CreateIpTermAsync(account.Id, termType, status, Token);
            var voice = await assets.CreateAssetAsync(new NewLikenessAsset(account.Id, AssetType.Voice, $"voice-{account.Id[..4].ToLowerInvariant()}.mp3", VoiceSampleUrl: "sample-ab12.mp3"), Token);
            return (account, voice);
        }
        var approved = await VoiceAccountAsync(Profile, IpTermType.VoiceOver, IpTermStatus.Approved);
        var pending = await VoiceAccountAsync(Profile with { NumberOfFollowers = 1 }, IpTermType.VoiceOver, IpTermStatus.Pending);
        var nearApproved = await VoiceAccountAsync(Profile with { HairColor = HairColor.Brown }, IpTermType.VoiceOver, IpTermStatus.Approved);
        var partialLikenessOnly = await VoiceAccountAsync(Profile with { HairColor = HairColor.Red }, IpTermType.Likeness, IpTermStatus.Approved);
        var farApproved = await VoiceAccountAsync(Profile with { Gender = Gender.Male, HairColor = HairColor.Brown }, IpTermType.VoiceOver, IpTermStatus.Approved);
        var farLikenessOnly = await VoiceAccountAsync(Profile with { Gender = Gender.Male, HairColor = HairColor.Red }, IpTermType.Likeness, IpTermStatus.Approved);
        await TestMedia.SetAsync(index.Db.DataSource, "sample-ab12.mp3");

        var page = await index.Service(Everything).SearchAsync(new SearchQuery { Filters = BlondeWomen, AssetType = AssetType.Voice }, Token);

        var byId = page.Results.ToDictionary(r => r.AccountId);
        CollectionAssert.AreEqual(new[] { new MediaLink(approved.Voice.Id, "/api/media/sample-ab12.mp3") }, byId[approved.Account.Id].VoiceSamples!.ToArray());
        Assert.AreEqual(SearchMatch.Exact, byId[pending.Account.Id].Match);
        Assert.IsEmpty(byId[pending.Account.Id].VoiceSamples!);
        // Partial matches are listed as exact ones are, heard or not.
        Assert.AreEqual(SearchMatch.Partial, byId[nearApproved.Account.Id].Match);
        CollectionAssert.AreEqual(new[] { new MediaLink(nearApproved.Voice.Id, "/api/media/sample-ab12.mp3") }, byId[nearApproved.Account.Id].VoiceSamples!.ToArray());
        Assert.AreEqual(SearchMatch.Partial, byId[partialLikenessOnly.Account.Id].Match);
        Assert.IsEmpty(byId[partialLikenessOnly.Account.Id].VoiceSamples!);
        Assert.AreEqual(SearchMatch.Semantic, byId[farApproved.Account.Id].Match);
        CollectionAssert.AreEqual(new[] { new MediaLink(farApproved.Voice.Id, "/api/media/sample-ab12.mp3") }, byId[farApproved.Account.Id].VoiceSamples!.ToArray());
        Assert.IsFalse(byId.ContainsKey(farLikenessOnly.Account.Id), "a semantic match must be one that may be heard");
        Assert.IsTrue(page.Results.All(r => r.Images is null));
    }

    [TestMethod]
    public async Task ResultsCarryTheAccountItsKnownAttributesAndOnlyAServableProfileImage()
    {
        await using var index = await SearchTestIndex.CreateAsync();
        var stored = await index.AccountAsync(Profile);
        var external = await index.AccountAsync(Profile with { HairColor = HairColor.Brown }, imageUrl: "https://cdn.example.com/a.jpg");
        var noImage = await index.AccountAsync(Profile with { HairColor = HairColor.Red }, imageUrl: null);
        var uploading = await index.AccountAsync(Profile with { HairColor = HairColor.Black }, imageUrl: "new-cc33.jpg", imageStatus: MediaStatus.Uploading);

        var results = (await index.Service(Everything).SearchAsync(new SearchQuery(), Token)).Results.ToDictionary(r => r.AccountId);

        var result = results[stored.Id];
        Assert.AreEqual((stored.Slug, stored.DisplayName, "/api/media/avatar-ab12.jpg"), (result.Slug, result.DisplayName, result.ImageUrl));
        Assert.AreEqual((50_000L, Platform.Instagram, true), (result.NumberOfFollowers!.Value, result.PrimaryPlatform!.Value, result.IsVerified!.Value));
        Assert.AreEqual(Profile, result.Attributes);
        Assert.IsNull(results[external.Id].ImageUrl, "not a file the media proxy serves");
        Assert.IsNull(results[noImage.Id].ImageUrl);
        Assert.IsNull(results[uploading.Id].ImageUrl, "not servable yet");
    }

    [TestMethod]
    public async Task LookalikesAreTheNearestOtherAccountsWithinTheFilters()
    {
        await using var index = await SearchTestIndex.CreateAsync();
        var account = await index.AccountAsync(Profile);
        var twin = await index.AccountAsync(Profile with { Height = 173 });
        var cousin = await index.AccountAsync(Profile with { Height = 180, HairColor = HairColor.Brown, EyeColor = EyeColor.Green });
        var man = await index.AccountAsync(Profile with { Gender = Gender.Male, Height = 185, HairColor = HairColor.Black, EyeColor = EyeColor.Brown, BodyType = BodyType.Muscular });
        var notIndexed = await index.AccountAsync(null);
        var service = index.Service(Everything);

        var all = await service.FindSimilarAsync(account.Id, new SearchQuery(), Token);
        var women = await service.FindSimilarAsync(account.Id, new SearchQuery { Filters = new() { Genders = [Gender.Female] } }, Token);
        var secondPage = await service.FindSimilarAsync(account.Id, new SearchQuery { Limit = 1, Offset = 1 }, Token);

        Assert.IsNotNull(all);
        CollectionAssert.AreEqual(new[] { twin.Id, cousin.Id, man.Id }, all.Results.Select(r => r.AccountId).ToArray());
        Assert.IsTrue(all.Results.All(r => r.Match == SearchMatch.Semantic && r.Distance is not null));
        Assert.AreEqual(3L, all.Total);
        CollectionAssert.AreEqual(new[] { twin.Id, cousin.Id }, women!.Results.Select(r => r.AccountId).ToArray());
        Assert.AreEqual(2L, women.Total);
        CollectionAssert.AreEqual(new[] { cousin.Id }, secondPage!.Results.Select(r => r.AccountId).ToArray());
        Assert.IsNull(await service.FindSimilarAsync(notIndexed.Id, new SearchQuery(), Token));
        Assert.IsNull(await service.FindSimilarAsync("no-such-account", new SearchQuery(), Token));
    }

    [TestMethod]
    public async Task SelectiveLookalikeFiltersStillFillThePage()
    {
        await using var index = await SearchTestIndex.CreateAsync();
        var account = await index.AccountAsync(Profile);
        for (var i = 0; i < 30; i++)
        {
            await index.AccountAsync(Profile with { Height = 150 + i });
        }
        var far = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            far.Add((await index.AccountAsync(Profile with { Gender = Gender.Male, HairColor = HairColor.Black, EyeColor = EyeColor.Brown, Height = 190 + i })).Id);
        }

        var men = await index.Service(Everything).FindSimilarAsync(account.Id, new SearchQuery { Filters = new() { Genders = [Gender.Male] }, Limit = 3 }, Token);

        CollectionAssert.AreEquivalent(far, men!.Results.Select(r => r.AccountId).ToList());
    }

    [TestMethod]
    public async Task LookalikesAtTheSameDistancePageInAccountIdOrder()
    {
        await using var index = await SearchTestIndex.CreateAsync();
        var account = await index.AccountAsync(Profile);
        var twins = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            twins.Add((await index.AccountAsync(Profile with { Country = Country.Canada })).Id);
        }
        var service = index.Service(Everything);

        var pages = new List<string>();
        for (var offset = 0; offset < 12; offset += 5)
        {
            pages.AddRange((await service.FindSimilarAsync(account.Id, new SearchQuery { Limit = 5, Offset = offset }, Token))!.Results.Select(r => r.AccountId));
        }

        CollectionAssert.AreEqual(twins.Order(StringComparer.Ordinal).ToList(), pages);
    }

    [TestMethod]
    public async Task WhenTheEmbedderFailsTheExactMatchesAreStillReturned()
    {
        await using var index = await SearchTestIndex.CreateAsync();
        var exact = await index.AccountAsync(Profile);
        await index.AccountAsync(Profile with { HairColor = HairColor.Brown });
        var failing = new Mock<IEmbedder>();
        failing.Setup(e => e.EmbedAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new ProviderException("down", 503, null));

        var page = await index.Service(SemanticOnly, failing.Object).SearchAsync(new SearchQuery { Filters = BlondeWomen }, Token);

        CollectionAssert.AreEqual(new[] { exact.Id }, page.Results.Select(r => r.AccountId).ToArray());
    }

    [TestMethod]
    public async Task APageOutsideTheConfiguredLimitsIsRefused()
    {
        await using var index = await SearchTestIndex.CreateAsync();
        var service = index.Service(new SearchOptions { MaxLimit = 10 });

        await Assert.ThrowsExactlyAsync<ArgumentOutOfRangeException>(() => service.SearchAsync(new SearchQuery { Limit = 11 }, Token));
        await Assert.ThrowsExactlyAsync<ArgumentOutOfRangeException>(() => service.SearchAsync(new SearchQuery { Limit = 0 }, Token));
        await Assert.ThrowsExactlyAsync<ArgumentOutOfRangeException>(() => service.SearchAsync(new SearchQuery { Offset = -1 }, Token));
    }
}
