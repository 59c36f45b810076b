using System.Collections;
using Likeness.Shared.Data;
using Likeness.Testing;

namespace Likeness.Shared.Tests.Data;

[TestClass]
public sealed class LikenessSearchAccessTests
{
    private static TestDatabase db = null!;
    private static LikenessSearchAccess search = null!;

    // Every attribute known, and every one different between the two.
    private static readonly SearchAttributes Full = new()
    {
        Category = Category.Actors,
        Gender = Gender.Female,
        Country = Country.Uk,
        TargetAudience = TargetAudience.Age18To35,
        NumberOfFollowers = 1_250_000,
        PrimaryPlatform = Platform.Instagram,
        IsVerified = true,
        ContentNiche = ContentNiche.Fashion,
        EngagementRate = 3.75,
        BirthYear = 1994,
        Height = 172,
        Weight = 60,
        BodyType = BodyType.Athletic,
        HairColor = HairColor.Blonde,
        HairLength = HairLength.Long,
        HairType = HairType.Wavy,
        EyeColor = EyeColor.Green,
        SkinColor = SkinColor.Fair,
        Ethnicity = Ethnicity.Caucasian,
        FaceShape = FaceShape.Oval,
        FacialHair = FacialHair.CleanShaven,
        WearGlasses = false,
        HasTattoos = true,
        HasPiercings = false,
        VoicePitch = VoicePitch.Medium,
        VoiceTone = VoiceTone.Warm,
        Accent = Accent.BritishRp,
        PrimaryLanguage = Language.English,
    };

    private static readonly SearchAttributes OtherFull = new()
    {
        Category = Category.VoiceArtists,
        Gender = Gender.NonBinary,
        Country = Country.SouthKorea,
        TargetAudience = TargetAudience.Age55Plus,
        NumberOfFollowers = 42,
        PrimaryPlatform = Platform.TikTok,
        IsVerified = false,
        ContentNiche = ContentNiche.Gaming,
        EngagementRate = 0.5,
        BirthYear = 1970,
        Height = 190,
        Weight = 95,
        BodyType = BodyType.PlusSize,
        HairColor = HairColor.Bald,
        HairLength = HairLength.Short,
        HairType = HairType.Kinky,
        EyeColor = EyeColor.Amber,
        SkinColor = SkinColor.Dark,
        Ethnicity = Ethnicity.PacificIslander,
        FaceShape = FaceShape.Triangle,
        FacialHair = FacialHair.BeardFull,
        WearGlasses = true,
        HasTattoos = false,
        HasPiercings = true,
        VoicePitch = VoicePitch.VeryLow,
        VoiceTone = VoiceTone.Raspy,
        Accent = Accent.LatinAmerican,
        PrimaryLanguage = Language.Hebrew,
    };

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext _)
    {
        db = await TestDatabase.CreateAsync();
        search = new LikenessSearchAccess(db.DataSource);
    }

    [ClassCleanup]
    public static async Task CleanupAsync() => await db.DisposeAsync();

    [TestMethod]
    public void TheTwoFullAttributeSetsKnowAndDifferInEveryAttribute()
    {
        foreach (var property in typeof(SearchAttributes).GetProperties())
        {
            Assert.IsNotNull(property.GetValue(Full), property.Name);
            Assert.AreNotEqual(property.GetValue(Full), property.GetValue(OtherFull), property.Name);
        }
    }

    [TestMethod]
    public async Task UpsertedRowIsReadBackWithEveryAttribute()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);

        var created = await search.UpsertSearchIndexAsync(account.Id, Full);

        Assert.AreEqual(Full, created.Attributes);
        Assert.AreEqual(account.Id, created.AccountId);
        Assert.AreEqual(NanoId.Length, created.Id.Length);
        Assert.AreEqual(created, await search.GetSearchIndexByAccountIdAsync(account.Id));
    }

    [TestMethod]
    public async Task RowWithoutAttributesReadsBackAllUnknown()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);

        var created = await search.UpsertSearchIndexAsync(account.Id, new SearchAttributes());

        Assert.AreEqual(new SearchAttributes(), created.Attributes);
    }

    [TestMethod]
    public async Task UpsertingAnExistingAccountReplacesEveryColumnAndKeepsTheRow()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var first = await search.UpsertSearchIndexAsync(account.Id, Full);

        var second = await search.UpsertSearchIndexAsync(account.Id, OtherFull);
        var third = await search.UpsertSearchIndexAsync(account.Id, new SearchAttributes());

        Assert.AreEqual(OtherFull, second.Attributes);
        Assert.AreEqual(new SearchAttributes(), third.Attributes);
        Assert.AreEqual((first.Id, first.CreatedAt), (second.Id, second.CreatedAt));
        Assert.AreEqual((first.Id, first.CreatedAt), (third.Id, third.CreatedAt));
        Assert.IsGreaterThan(first.UpdatedAt, second.UpdatedAt);
        Assert.AreEqual(1L, await db.ScalarAsync("SELECT count(*) FROM likeness_search WHERE account_id = $1", account.Id));
    }

    [TestMethod]
    public async Task MissingRowReadsAsNullAndIsNotDeleted()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);

        Assert.IsNull(await search.GetSearchIndexByAccountIdAsync(account.Id));
        Assert.IsFalse(await search.DeleteSearchIndexAsync(account.Id));
    }

    [TestMethod]
    public async Task DeletingTheIndexRemovesOnlyThatAccountsRow()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        var other = await TestData.CreateAccountAsync(db.DataSource);
        await search.UpsertSearchIndexAsync(account.Id, Full);
        var kept = await search.UpsertSearchIndexAsync(other.Id, Full);

        Assert.IsTrue(await search.DeleteSearchIndexAsync(account.Id));

        Assert.IsNull(await search.GetSearchIndexByAccountIdAsync(account.Id));
        Assert.AreEqual(kept, await search.GetSearchIndexByAccountIdAsync(other.Id));
    }

    [TestMethod]
    public async Task DeletingTheAccountDeletesItsRow()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);
        await search.UpsertSearchIndexAsync(account.Id, Full);

        await new AccountsAccess(db.DataSource).DeleteAccountAsync(account.Id);

        Assert.IsNull(await search.GetSearchIndexByAccountIdAsync(account.Id));
    }

    [TestMethod]
    public async Task RowOfAMissingAccountIsRejectedByTheForeignKey()
    {
        var error = await Assert.ThrowsExactlyAsync<Npgsql.PostgresException>(() => search.UpsertSearchIndexAsync("no-such-account", Full));

        Assert.AreEqual(Npgsql.PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
    }

    [TestMethod]
    public async Task UndefinedEnumValuesAreRejectedNamingTheArgument()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);

        var onUpsert = await Assert.ThrowsExactlyAsync<ArgumentOutOfRangeException>(
            () => search.UpsertSearchIndexAsync(account.Id, Full with { Gender = (Gender)99 }));
        var onSearch = await Assert.ThrowsExactlyAsync<ArgumentOutOfRangeException>(
            () => search.SearchByFiltersAsync(new SearchFilters { HairColors = [HairColor.Red, (HairColor)99] }, 10, 0));

        Assert.AreEqual("data", onUpsert.ParamName);
        Assert.AreEqual("filters", onSearch.ParamName);
        Assert.IsNull(await search.GetSearchIndexByAccountIdAsync(account.Id));
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("  ")]
    public async Task BlankAccountIdIsRejectedNamingTheArgument(string? accountId)
    {
        Assert.AreEqual("accountId", (await Assert.ThrowsAsync<ArgumentException>(() => search.UpsertSearchIndexAsync(accountId!, Full))).ParamName);
        Assert.AreEqual("accountId", (await Assert.ThrowsAsync<ArgumentException>(() => search.GetSearchIndexByAccountIdAsync(accountId!))).ParamName);
        Assert.AreEqual("accountId", (await Assert.ThrowsAsync<ArgumentException>(() => search.DeleteSearchIndexAsync(accountId!))).ParamName);
    }

    [TestMethod]
    public async Task NullAttributesOrFiltersAreRejected()
    {
        var account = await TestData.CreateAccountAsync(db.DataSource);

        Assert.AreEqual("data", (await Assert.ThrowsExactlyAsync<ArgumentNullException>(() => search.UpsertSearchIndexAsync(account.Id, null!))).ParamName);
        Assert.AreEqual("filters", (await Assert.ThrowsExactlyAsync<ArgumentNullException>(() => search.SearchByFiltersAsync(null!, 10, 0))).ParamName);
    }

    [TestMethod]
    [DataRow(0, 0, "limit")]
    [DataRow(-1, 0, "limit")]
    [DataRow(1001, 0, "limit")]
    [DataRow(10, -1, "offset")]
    public async Task PageBoundsOutsideTheirRangeAreRejected(int limit, int offset, string argument)
    {
        var error = await Assert.ThrowsExactlyAsync<ArgumentOutOfRangeException>(() => search.SearchByFiltersAsync(new SearchFilters(), limit, offset));

        Assert.AreEqual(argument, error.ParamName);
    }

    [TestMethod]
    public async Task EmptyOrNotANumberRangesAreRejected()
    {
        SearchFilters[] invalid =
        [
            new() { MinFollowers = 10, MaxFollowers = 9 },
            new() { MinEngagementRate = 2.5, MaxEngagementRate = 2.4 },
            new() { MinEngagementRate = double.NaN },
            new() { MaxEngagementRate = double.NaN },
            new() { MinBirthYear = 2000, MaxBirthYear = 1999 },
            new() { MinHeight = 180, MaxHeight = 170 },
            new() { MinWeight = 80, MaxWeight = 70 },
        ];

        foreach (var filters in invalid)
        {
            var error = await Assert.ThrowsExactlyAsync<ArgumentOutOfRangeException>(() => search.SearchByFiltersAsync(filters, 10, 0));
            Assert.AreEqual("filters", error.ParamName, filters.ToString());
        }
    }

    // The tests below search the whole table, so each owns a database.

    [TestMethod]
    public async Task EveryListFilterSelectsByItsOwnColumn()
    {
        await using var own = await TestDatabase.CreateAsync();
        var access = new LikenessSearchAccess(own.DataSource);
        var full = await IndexAsync(own, Full);
        var other = await IndexAsync(own, OtherFull);
        await IndexAsync(own, new SearchAttributes());
        var listFilters = typeof(SearchFilters).GetProperties()
            .Where(p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
            .ToList();

        Assert.HasCount(19, listFilters);
        foreach (var filter in listFilters)
        {
            var enumType = filter.PropertyType.GetGenericArguments()[0];
            var attribute = typeof(SearchAttributes).GetProperties().Single(p => Nullable.GetUnderlyingType(p.PropertyType) == enumType);
            foreach (var (expected, attributes) in new[] { (full, Full), (other, OtherFull) })
            {
                var values = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(enumType))!;
                values.Add(attribute.GetValue(attributes));
                var filters = new SearchFilters();
                filter.SetValue(filters, values);

                var page = await access.SearchByFiltersAsync(filters, 10, 0);

                CollectionAssert.AreEqual(new[] { expected }, Ids(page), filter.Name);
                Assert.AreEqual(1L, page.Total, filter.Name);
            }
        }
    }

    [TestMethod]
    public async Task ValuesWithinAFieldAreAlternativesAndFieldsMustAllMatch()
    {
        await using var own = await TestDatabase.CreateAsync();
        var access = new LikenessSearchAccess(own.DataSource);
        var femaleBlonde = await IndexAsync(own, new() { Gender = Gender.Female, HairColor = HairColor.Blonde, NumberOfFollowers = 500 });
        var femaleRed = await IndexAsync(own, new() { Gender = Gender.Female, HairColor = HairColor.Red, NumberOfFollowers = 400 });
        var maleBlonde = await IndexAsync(own, new() { Gender = Gender.Male, HairColor = HairColor.Blonde, NumberOfFollowers = 300 });
        var femaleBlack = await IndexAsync(own, new() { Gender = Gender.Female, HairColor = HairColor.Black, NumberOfFollowers = 200 });
        var unknownBlonde = await IndexAsync(own, new() { HairColor = HairColor.Blonde, NumberOfFollowers = 100 });

        (SearchFilters Filters, string[] Expected)[] cases =
        [
            (new() { Genders = [Gender.Female], HairColors = [HairColor.Blonde, HairColor.Red] }, [femaleBlonde, femaleRed]),
            (new() { Genders = [Gender.Female, Gender.Male] }, [femaleBlonde, femaleRed, maleBlonde, femaleBlack]),
            (new() { HairColors = [HairColor.Blonde] }, [femaleBlonde, maleBlonde, unknownBlonde]),
            (new() { Genders = [Gender.Male], HairColors = [HairColor.Red] }, []),
            (new() { Genders = [Gender.NonBinary] }, []),
            (new() { Genders = [], HairColors = [] }, [femaleBlonde, femaleRed, maleBlonde, femaleBlack, unknownBlonde]),
            (new(), [femaleBlonde, femaleRed, maleBlonde, femaleBlack, unknownBlonde]),
        ];

        foreach (var (filters, expected) in cases)
        {
            var page = await access.SearchByFiltersAsync(filters, 100, 0);
            CollectionAssert.AreEqual(expected, Ids(page), filters.ToString());
            Assert.AreEqual(expected.Length, page.Total, filters.ToString());
        }
    }

    [TestMethod]
    public async Task BooleanFiltersMatchTrueOrFalseButNeverUnknown()
    {
        await using var own = await TestDatabase.CreateAsync();
        var access = new LikenessSearchAccess(own.DataSource);
        var x = await IndexAsync(own, new() { NumberOfFollowers = 3, IsVerified = true, WearGlasses = false, HasTattoos = true });
        var y = await IndexAsync(own, new() { NumberOfFollowers = 2, IsVerified = false, WearGlasses = true, HasPiercings = false });
        var z = await IndexAsync(own, new() { NumberOfFollowers = 1, HasTattoos = false, HasPiercings = true });

        (SearchFilters Filters, string[] Expected)[] cases =
        [
            (new() { IsVerified = true }, [x]),
            (new() { IsVerified = false }, [y]),
            (new() { WearGlasses = true }, [y]),
            (new() { WearGlasses = false }, [x]),
            (new() { HasTattoos = true }, [x]),
            (new() { HasTattoos = false }, [z]),
            (new() { HasPiercings = true }, [z]),
            (new() { HasPiercings = false }, [y]),
            (new() { IsVerified = true, HasTattoos = true }, [x]),
            (new() { IsVerified = true, HasTattoos = false }, []),
        ];

        foreach (var (filters, expected) in cases)
        {
            var page = await access.SearchByFiltersAsync(filters, 100, 0);
            CollectionAssert.AreEqual(expected, Ids(page), filters.ToString());
            Assert.AreEqual(expected.Length, page.Total, filters.ToString());
        }
    }

    [TestMethod]
    public async Task RangeFiltersIncludeBothBoundsAndNeverMatchUnknown()
    {
        await using var own = await TestDatabase.CreateAsync();
        var access = new LikenessSearchAccess(own.DataSource);
        var high = await IndexAsync(own, new() { NumberOfFollowers = 300, EngagementRate = 3.5, BirthYear = 2010, Height = 180, Weight = 70 });
        var mid = await IndexAsync(own, new() { NumberOfFollowers = 200, EngagementRate = 2.5, BirthYear = 2000, Height = 170, Weight = 60 });
        var low = await IndexAsync(own, new() { NumberOfFollowers = 100, EngagementRate = 1.5, BirthYear = 1990, Height = 160, Weight = 50 });
        await IndexAsync(own, new() { Gender = Gender.Male });

        (SearchFilters Filters, string[] Expected)[] cases =
        [
            (new() { MinFollowers = 200 }, [high, mid]),
            (new() { MinFollowers = 201 }, [high]),
            (new() { MaxFollowers = 200 }, [mid, low]),
            (new() { MaxFollowers = 199 }, [low]),
            (new() { MinFollowers = 200, MaxFollowers = 200 }, [mid]),
            (new() { MinFollowers = 100, MaxFollowers = 300 }, [high, mid, low]),
            (new() { MinEngagementRate = 2.5 }, [high, mid]),
            (new() { MinEngagementRate = 2.51 }, [high]),
            (new() { MaxEngagementRate = 2.5 }, [mid, low]),
            (new() { MaxEngagementRate = 2.49 }, [low]),
            (new() { MinEngagementRate = 2.5, MaxEngagementRate = 2.5 }, [mid]),
            (new() { MinBirthYear = 2000 }, [high, mid]),
            (new() { MinBirthYear = 2001 }, [high]),
            (new() { MaxBirthYear = 2000 }, [mid, low]),
            (new() { MaxBirthYear = 1999 }, [low]),
            (new() { MinBirthYear = 2000, MaxBirthYear = 2000 }, [mid]),
            (new() { MinHeight = 170 }, [high, mid]),
            (new() { MinHeight = 171 }, [high]),
            (new() { MaxHeight = 170 }, [mid, low]),
            (new() { MaxHeight = 169 }, [low]),
            (new() { MinHeight = 170, MaxHeight = 170 }, [mid]),
            (new() { MinWeight = 60 }, [high, mid]),
            (new() { MinWeight = 61 }, [high]),
            (new() { MaxWeight = 60 }, [mid, low]),
            (new() { MaxWeight = 59 }, [low]),
            (new() { MinWeight = 60, MaxWeight = 60 }, [mid]),
            (new() { MinFollowers = 150, MaxHeight = 175 }, [mid]),
        ];

        foreach (var (filters, expected) in cases)
        {
            var page = await access.SearchByFiltersAsync(filters, 100, 0);
            CollectionAssert.AreEqual(expected, Ids(page), filters.ToString());
            Assert.AreEqual(expected.Length, page.Total, filters.ToString());
        }
    }

    [TestMethod]
    public async Task PagesFollowFollowersDescendingUnknownLastTiesByAccountIdAndCountEveryMatch()
    {
        await using var own = await TestDatabase.CreateAsync();
        var access = new LikenessSearchAccess(own.DataSource);
        long?[] followers = [300, null, 500, 300, 100, null, 300];
        var indexed = new List<(string AccountId, long? Followers)>();
        foreach (var count in followers)
        {
            indexed.Add((await IndexAsync(own, new() { NumberOfFollowers = count }), count));
        }
        var expected = indexed
            .OrderBy(r => r.Followers is null)
            .ThenByDescending(r => r.Followers)
            .ThenBy(r => r.AccountId, StringComparer.Ordinal)
            .Select(r => r.AccountId)
            .ToArray();

        var pages = new List<LikenessSearchPage>();
        for (var offset = 0; offset < 9; offset += 3)
        {
            pages.Add(await access.SearchByFiltersAsync(new SearchFilters(), 3, offset));
        }

        CollectionAssert.AreEqual(expected, pages.SelectMany(Ids).ToArray());
        CollectionAssert.AreEqual(new[] { 3, 3, 1 }, pages.Select(p => p.Rows.Count).ToArray());
        Assert.IsTrue(pages.All(p => p.Total == 7));
        var beyond = await access.SearchByFiltersAsync(new SearchFilters(), 3, 7);
        Assert.IsEmpty(beyond.Rows);
        Assert.AreEqual(7L, beyond.Total);
    }

    [TestMethod]
    public async Task TheTotalCountsEveryMatchNotJustThePage()
    {
        await using var own = await TestDatabase.CreateAsync();
        var access = new LikenessSearchAccess(own.DataSource);
        var blondes = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            blondes.Add(await IndexAsync(own, new() { HairColor = HairColor.Blonde, NumberOfFollowers = 1000 - i }));
            await IndexAsync(own, new() { HairColor = HairColor.Black, NumberOfFollowers = 1000 - i });
        }

        var page = await access.SearchByFiltersAsync(new SearchFilters { HairColors = [HairColor.Blonde] }, 2, 2);

        CollectionAssert.AreEqual(blondes.Skip(2).Take(2).ToArray(), Ids(page));
        Assert.AreEqual(5L, page.Total);
        Assert.AreEqual(HairColor.Blonde, page.Rows[0].Attributes.HairColor);
    }

    [TestMethod]
    public async Task AMaximalPageIsAllowed()
    {
        await using var own = await TestDatabase.CreateAsync();
        var indexed = await IndexAsync(own, Full);

        var page = await new LikenessSearchAccess(own.DataSource).SearchByFiltersAsync(new SearchFilters(), LikenessSearchAccess.MaxPageSize, 0);

        CollectionAssert.AreEqual(new[] { indexed }, Ids(page));
        Assert.AreEqual(Full, page.Rows[0].Attributes);
    }

    private static async Task<string> IndexAsync(TestDatabase database, SearchAttributes attributes)
    {
        var account = await TestData.CreateAccountAsync(database.DataSource);
        await new LikenessSearchAccess(database.DataSource).UpsertSearchIndexAsync(account.Id, attributes);
        return account.Id;
    }

    private static string[] Ids(LikenessSearchPage page) => [.. page.Rows.Select(r => r.AccountId)];
}
