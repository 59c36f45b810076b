using System.Reflection;
using Likeness.Shared.Data;
using Likeness.Shared.Tests.Search;
using Likeness.Testing;

namespace Likeness.Shared.Tests.Data;

[TestClass]
public sealed class SearchAttributeCatalogTests
{
    private static readonly PropertyInfo[] FilterProperties = RandomSearchData.FilterProperties;

    [TestMethod]
    public void EveryAttributePropertyHasOneCatalogueEntryInTheSameOrder()
    {
        var properties = typeof(SearchAttributes).GetProperties().Select(p => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(p.Name));

        CollectionAssert.AreEqual(properties.ToList(), SearchAttributeCatalog.All.Select(a => a.Name).ToList());
    }

    [TestMethod]
    public void EveryFilterPropertyIsSetByExactlyOneAttribute()
    {
        foreach (var attribute in SearchAttributeCatalog.All)
        {
            var filters = attribute switch
            {
                DiscreteAttribute discrete => discrete.WithOrdinals(new SearchFilters(), [0]),
                RangeAttribute range => range.WithRange(new SearchFilters(), 1, 2),
                _ => throw new AssertFailedException(attribute.Name),
            };
            var set = FilterProperties.Where(p => p.GetValue(filters) is not null).Select(p => p.Name).ToList();

            Assert.IsTrue(attribute.IsFiltered(filters), attribute.Name);
            Assert.AreEqual(attribute is RangeAttribute ? 2 : 1, set.Count, $"{attribute.Name}: {string.Join(", ", set)}");
            Assert.IsTrue(SearchAttributeCatalog.IsUnfiltered(attribute.WithoutFilter(filters)), attribute.Name);
        }
        Assert.AreEqual(FilterProperties.Length, SearchAttributeCatalog.Discrete.Count + 2 * SearchAttributeCatalog.Ranges.Count);
    }

    [TestMethod]
    public void NoFieldGivenIsEmptyAndMatchesAnAccountWithNothingKnown()
    {
        Assert.IsTrue(SearchAttributeCatalog.IsUnfiltered(new SearchFilters()));
        Assert.IsTrue(SearchAttributeCatalog.IsUnfiltered(new SearchFilters { HairColors = [] }));
        Assert.IsTrue(SearchAttributeCatalog.Matches(new SearchFilters(), new SearchAttributes()));
    }

    [TestMethod]
    public void EveryFilterFieldCountsAsGivenAndRejectsAnAccountWithNothingKnown()
    {
        var random = new Random(7);
        foreach (var property in FilterProperties)
        {
            var filters = new SearchFilters();
            property.SetValue(filters, RandomSearchData.FilterValue(property, random));

            Assert.IsFalse(SearchAttributeCatalog.IsUnfiltered(filters), property.Name);
            Assert.IsFalse(SearchAttributeCatalog.Matches(filters, new SearchAttributes()), property.Name);
        }
    }

    [TestMethod]
    public async Task InMemoryMatchingAgreesWithTheSqlFiltersOnEveryField()
    {
        await using var index = await SearchTestIndex.CreateAsync();
        var search = new LikenessSearchAccess(index.Db.DataSource);
        var random = new Random(20261122);
        var rows = new Dictionary<string, SearchAttributes>();
        for (var i = 0; i < 80; i++)
        {
            var attributes = RandomSearchData.Attributes(random);
            var account = await TestData.CreateAccountAsync(index.Db.DataSource);
            await search.UpsertSearchIndexAsync(account.Id, attributes);
            rows[account.Id] = attributes;
        }

        var narrowing = 0;
        for (var i = 0; i < 300; i++)
        {
            var filters = RandomSearchData.Filters(random, fieldProbability: i < 100 ? 0.05 : 0.15);
            var page = await search.SearchByFiltersAsync(filters, LikenessSearchAccess.MaxPageSize, 0);

            var expected = rows.Where(r => SearchAttributeCatalog.Matches(filters, r.Value)).Select(r => r.Key).Order().ToList();
            CollectionAssert.AreEqual(expected, page.Rows.Select(r => r.AccountId).Order().ToList(), RandomSearchData.Describe(filters));
            narrowing += expected.Count > 0 && expected.Count < rows.Count ? 1 : 0;
        }
        // The comparison means something only if most filters keep some rows and drop others.
        Assert.IsGreaterThan(150, narrowing);
    }

    [TestMethod]
    public void SingleValuedFiltersArePinnedAndOthersAreNot()
    {
        var filters = new SearchFilters
        {
            HairColors = [HairColor.Blonde],
            EyeColors = [EyeColor.Blue, EyeColor.Green],
            HasTattoos = false,
            MinHeight = 170,
            MaxHeight = 170,
            MinWeight = 50,
            MaxWeight = 70,
            MinBirthYear = 1990,
        };

        var pinned = SearchAttributeCatalog.PinnedAttributes(filters);

        Assert.AreEqual(new SearchAttributes { HairColor = HairColor.Blonde, HasTattoos = false, Height = 170 }, pinned);
    }
}
