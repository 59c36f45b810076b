using System.Collections;
using System.Reflection;
using Likeness.Shared.Data;
using Likeness.Shared.Tests.Search;

namespace Likeness.Shared.Tests.Data;

[TestClass]
public sealed class SearchAttributeCatalogTests
{
    private static readonly PropertyInfo[] FilterProperties = typeof(SearchFilters).GetProperties();

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
            property.SetValue(filters, RandomFilterValue(property, random));

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
            var attributes = RandomAttributes(random);
            var account = await TestData.CreateAccountAsync(index.Db.DataSource);
            await search.UpsertSearchIndexAsync(account.Id, attributes);
            rows[account.Id] = attributes;
        }

        var narrowing = 0;
        for (var i = 0; i < 300; i++)
        {
            var filters = RandomFilters(random, fieldProbability: i < 100 ? 0.05 : 0.15);
            var page = await search.SearchByFiltersAsync(filters, LikenessSearchAccess.MaxPageSize, 0);

            var expected = rows.Where(r => SearchAttributeCatalog.Matches(filters, r.Value)).Select(r => r.Key).Order().ToList();
            CollectionAssert.AreEqual(expected, page.Rows.Select(r => r.AccountId).Order().ToList(), Describe(filters));
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

    private static SearchAttributes RandomAttributes(Random random)
    {
        var attributes = new SearchAttributes();
        foreach (var property in typeof(SearchAttributes).GetProperties())
        {
            if (random.NextDouble() < 0.2)
            {
                continue;
            }
            var type = Nullable.GetUnderlyingType(property.PropertyType)!;
            property.SetValue(attributes, type.IsEnum ? FewEnumValues(type)[random.Next(3)] : RandomNumber(type, random));
        }
        return attributes;
    }

    private static SearchFilters RandomFilters(Random random, double fieldProbability)
    {
        var filters = new SearchFilters();
        foreach (var property in FilterProperties.Where(_ => random.NextDouble() < fieldProbability))
        {
            property.SetValue(filters, RandomFilterValue(property, random));
        }
        // The access function refuses empty ranges; the validator never lets one through.
        foreach (var min in FilterProperties.Where(p => p.Name.StartsWith("Min", StringComparison.Ordinal)))
        {
            var max = typeof(SearchFilters).GetProperty("Max" + min.Name[3..])!;
            if (min.GetValue(filters) is IComparable low && max.GetValue(filters) is { } high && low.CompareTo(high) > 0)
            {
                min.SetValue(filters, high);
                max.SetValue(filters, low);
            }
        }
        return filters;
    }

    // Lists of one or two of an enum's first three values; flags; numbers from the attributes' small domains.
    private static object RandomFilterValue(PropertyInfo property, Random random)
    {
        var type = property.PropertyType;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            var enumType = type.GetGenericArguments()[0];
            var values = FewEnumValues(enumType).OrderBy(_ => random.Next()).Take(random.Next(1, 3)).ToArray();
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(enumType))!;
            foreach (var value in values)
            {
                list.Add(value);
            }
            return list;
        }
        var underlying = Nullable.GetUnderlyingType(type)!;
        // A minimum near the bottom and a maximum near the top of the domain keep most ranges non-empty.
        var number = RandomNumber(underlying, random);
        return property.Name.StartsWith("Max", StringComparison.Ordinal) ? Shift(number, up: true) : property.Name.StartsWith("Min", StringComparison.Ordinal) ? Shift(number, up: false) : number;
    }

    private static object RandomNumber(Type type, Random random) => type switch
    {
        _ when type == typeof(bool) => random.Next(2) == 0,
        _ when type == typeof(long) => (long)random.Next(0, 1000),
        _ when type == typeof(double) => Math.Round(random.NextDouble() * 10, 1),
        _ => random.Next(0, 50),
    };

    private static object Shift(object number, bool up) => number switch
    {
        long value => up ? value + 200 : value - 200,
        double value => up ? value + 2 : value - 2,
        int value => up ? value + 10 : value - 10,
        _ => number,
    };

    private static object[] FewEnumValues(Type enumType) => [.. Enum.GetValues(enumType).Cast<object>().Take(3)];

    private static string Describe(SearchFilters filters) => string.Join("; ", FilterProperties
        .Select(p => (p.Name, Value: p.GetValue(filters)))
        .Where(p => p.Value is not null)
        .Select(p => $"{p.Name}={(p.Value is IEnumerable list and not string ? string.Join("|", list.Cast<object>()) : p.Value)}"));
}
