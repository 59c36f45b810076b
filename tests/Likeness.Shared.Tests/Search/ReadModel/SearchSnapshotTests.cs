using Likeness.Shared.Data;
using Likeness.Shared.Search.ReadModel;
using Likeness.Testing;

namespace Likeness.Shared.Tests.Search.ReadModel;

/// <summary>
/// The read model against the SQL path it stands in for: for random accounts and random filter
/// sets, both give the same pages (whole rows, in order), totals and facet counts.
/// </summary>
[TestClass]
public sealed class SearchSnapshotTests
{
    private static TestDatabase db = null!;
    private static LikenessSearchAccess search = null!;
    private static SearchSnapshot snapshot = null!;
    private static int accounts;

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Token => TestContext.CancellationToken;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext context)
    {
        db = await TestDatabase.CreateAsync(context.CancellationToken);
        search = new LikenessSearchAccess(db.DataSource);
        var random = new Random(20261202);
        var ids = await TestData.SeedAccountsAsync(db, 300);
        foreach (var id in ids)
        {
            await search.UpsertSearchIndexAsync(id, RandomSearchData.Attributes(random), context.CancellationToken);
        }
        accounts = ids.Length;
        snapshot = SearchSnapshot.Build(await search.ExportAllAsync(context.CancellationToken));
    }

    [ClassCleanup]
    public static async Task CleanupAsync() => await db.DisposeAsync();

    [TestMethod]
    public async Task TheBinaryCopyLoadsEveryRowAsTheSqlPathReadsIt()
    {
        var sql = await search.SearchByFiltersAsync(new SearchFilters(), LikenessSearchAccess.MaxPageSize, 0, Token);
        var model = snapshot.Search(new SearchFilters(), LikenessSearchAccess.MaxPageSize, 0, []);

        Assert.AreEqual(accounts, snapshot.Count);
        Assert.AreEqual(sql.Total, model.Total);
        CollectionAssert.AreEqual(sql.Rows.ToList(), model.Rows.ToList(), "whole rows, in result order");
    }

    [TestMethod]
    public async Task RandomFilterSetsGiveTheSamePagesTotalsAndFacetsAsTheSqlPath()
    {
        var random = new Random(777);
        var narrowing = 0;
        for (var i = 0; i < 1000; i++)
        {
            // From one field in twenty (most accounts match) to one in four (few or none do).
            var filters = RandomSearchData.Filters(random, fieldProbability: 0.02 + (i % 10) * 0.025);
            var facets = RandomSearchData.Facets(random);
            var limit = random.Next(3) == 0 ? LikenessSearchAccess.MaxPageSize : random.Next(1, 40);
            var offset = random.Next(4) switch { 0 => 0, 1 => random.Next(0, 10), 2 => random.Next(0, accounts), _ => random.Next(0, accounts * 2) };
            var because = $"#{i} {RandomSearchData.Describe(filters)} limit {limit} offset {offset}";

            var sql = await search.SearchByFiltersAsync(filters, limit, offset, Token);
            var sqlFacets = await search.CountFacetsAsync(filters, facets, Token);
            var model = snapshot.Search(filters, limit, offset, facets);

            Assert.AreEqual(sql.Total, model.Total, because);
            CollectionAssert.AreEqual(sql.Rows.Select(r => r.AccountId).ToList(), model.Rows.Select(r => r.AccountId).ToList(), because);
            CollectionAssert.AreEqual(sql.Rows.ToList(), model.Rows.ToList(), because);
            Assert.AreEqual(Text(sqlFacets), Text(model.Facets), because);
            narrowing += sql.Total > 0 && sql.Total < accounts ? 1 : 0;
        }
        // The comparison means something only if most filters keep some rows and drop others.
        Assert.IsGreaterThan(500, narrowing);
    }

    [TestMethod]
    public async Task RandomFilterSetsAndStrictListsGiveTheSamePartialMatchesAsTheSqlPath()
    {
        var random = new Random(4242);
        var partial = 0;
        for (var i = 0; i < 1000; i++)
        {
            // Enough fields that most accounts meet some and few meet all.
            var filters = RandomSearchData.Filters(random, fieldProbability: 0.05 + (i % 10) * 0.025);
            var strict = SearchAttributeCatalog.All.Where(_ => random.Next(8) == 0).ToList();
            var limit = random.Next(4) == 0 ? 0 : random.Next(1, 60);
            var offset = random.Next(3) switch { 0 => 0, 1 => random.Next(0, 20), _ => random.Next(0, accounts) };
            var because = $"#{i} {RandomSearchData.Describe(filters)} strict {string.Join(",", strict.Select(a => a.Name))} limit {limit} offset {offset}";

            var sql = await search.SearchPartialAsync(filters, strict, limit, offset, Token);
            var model = snapshot.SearchPartial(filters, strict, limit, offset);

            Assert.AreEqual(sql.Total, model.Total, because);
            CollectionAssert.AreEqual(sql.Rows.ToList(), model.Rows.ToList(), because);
            partial += model.Rows.Count > 0 ? 1 : 0;
        }
        Assert.IsGreaterThan(300, partial, "most comparisons have partial matches to compare");
    }

    [TestMethod]
    public void PartialMatchesMeetTheStrictFiltersAndSomeButNotAllOthersMostFirst()
    {
        var filters = new SearchFilters { Genders = [Gender.Female], HairColors = [HairColor.Blonde], HasTattoos = true, MinHeight = 170 };
        var strict = new[] { SearchAttributeCatalog.Get("gender") };
        var all = snapshot.Search(new SearchFilters(), LikenessSearchAccess.MaxPageSize, 0, []).Rows;
        int Met(LikenessSearchRow row) =>
            (row.Attributes.HairColor == HairColor.Blonde ? 1 : 0) + (row.Attributes.HasTattoos == true ? 1 : 0) + (row.Attributes.Height >= 170 ? 1 : 0);
        var expected = all.Where(r => r.Attributes.Gender == Gender.Female && Met(r) is 1 or 2)
            .OrderByDescending(Met).ThenBy(all.ToList().IndexOf).Select(r => r.AccountId).ToList();

        var page = snapshot.SearchPartial(filters, strict, LikenessSearchAccess.MaxPageSize, 0);

        Assert.IsGreaterThan(10, expected.Count);
        Assert.AreEqual(expected.Count, page.Total);
        CollectionAssert.AreEqual(expected, page.Rows.Select(r => r.AccountId).ToList());
    }

    [TestMethod]
    public void FewerThanTwoAttributesBesidesTheStrictOnesLeaveNoPartialMatches()
    {
        var filters = new SearchFilters { Genders = [Gender.Female], HairColors = [HairColor.Blonde] };

        var page = snapshot.SearchPartial(filters, [SearchAttributeCatalog.Get("gender")], 10, 0);

        Assert.AreEqual(0L, page.Total);
        Assert.IsEmpty(page.Rows);
    }

    [TestMethod]
    public void EachFacetIgnoresItsOwnFilterAndAppliesEveryOther()
    {
        var filters = new SearchFilters { HairColors = [HairColor.Blonde], HasTattoos = true };
        var all = snapshot.Search(new SearchFilters(), LikenessSearchAccess.MaxPageSize, 0, []).Rows;
        var hairColor = (DiscreteAttribute)SearchAttributeCatalog.Get("hairColor");
        var tattoos = (DiscreteAttribute)SearchAttributeCatalog.Get("hasTattoos");

        var facets = snapshot.Search(filters, 1, 0, [hairColor, tattoos]).Facets;

        var tattooed = all.Where(r => r.Attributes.HasTattoos == true).ToList();
        var blonde = all.Where(r => r.Attributes.HairColor == HairColor.Blonde).ToList();
        Assert.AreEqual(tattooed.Count(r => r.Attributes.HairColor == HairColor.Brown), facets["hairColor"].GetValueOrDefault("BROWN"));
        Assert.AreEqual(blonde.Count(r => r.Attributes.HasTattoos == false), facets["hasTattoos"]["false"]);
        Assert.IsFalse(facets["hairColor"].Values.Contains(0L), "zero counts are left out");
    }

    [TestMethod]
    public void RangesWithNaNOrAMinimumAboveTheMaximumAreRefusedAsTheSqlPathRefusesThem()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => snapshot.Search(new SearchFilters { MinHeight = 10, MaxHeight = 5 }, 10, 0, []));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => snapshot.Search(new SearchFilters { MinEngagementRate = double.NaN }, 10, 0, []));
    }

    [TestMethod]
    public async Task AccountIdsTieBreakInTheOrderOfCollateC()
    {
        // U+FF21 is a UTF-16 unit above the surrogates of U+1F600, but its UTF-8 bytes sort first.
        var ids = new[] { "b", "a\U0001F600", "a\uFF21", "a", "B", "a\u00E9", "_" };
        var rows = ids.Select(id => new LikenessSearchRow(id, id, new SearchAttributes { NumberOfFollowers = 5 }, default, default));
        await using var command = db.DataSource.CreateCommand("SELECT array_agg(id ORDER BY id COLLATE \"C\") FROM unnest($1::text[]) AS t(id)");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = ids });
        var expected = (string[])(await command.ExecuteScalarAsync(Token))!;

        var order = SearchSnapshot.Build(rows).Search(new SearchFilters(), 10, 0, []).Rows.Select(r => r.AccountId).ToList();

        CollectionAssert.AreEqual(expected, order);
        Assert.AreNotEqual(ids.Order(StringComparer.Ordinal).ToList().IndexOf("a\uFF21"), order.IndexOf("a\uFF21"), "the case where UTF-16 order differs");
    }

    private static string Text(IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> facets) =>
        string.Join("; ", facets.OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => $"{f.Key}: {string.Join(", ", f.Value.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value}"))}"));
}
