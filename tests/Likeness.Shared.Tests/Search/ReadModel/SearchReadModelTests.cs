using System.Diagnostics;
using Likeness.Shared.Data;
using Likeness.Shared.Search;
using Likeness.Shared.Search.ReadModel;
using Likeness.Testing;

namespace Likeness.Shared.Tests.Search.ReadModel;

/// <summary>
/// The read model kept fresh by the table's notifications: writes by plain SQL, as another
/// service would make them, show within a bound, and a lost connection is reloaded.
/// </summary>
[TestClass]
public sealed class SearchReadModelTests
{
    // Generous for a machine shared by parallel test runs; the benchmark measures the real figure.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static readonly SearchReadModelOptions Fast = new() { Debounce = TimeSpan.FromMilliseconds(50), RetryDelay = TimeSpan.FromMilliseconds(500) };

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Token => TestContext.CancellationToken;

    [TestMethod]
    public async Task DirectInsertsUpdatesThatReorderUpsertsAndDeletesShowInTheModelWithinTheBound()
    {
        await using var index = await SearchTestIndex.CreateAsync();
        var existing = await TestData.SeedAccountsAsync(index.Db, 3);
        await index.Db.ScalarAsync(
            "INSERT INTO likeness_search (id, account_id, number_of_followers) SELECT 's' || a, a, 100 FROM unnest($1::text[]) AS t(a)", (object)existing);
        var model = index.NotStarted(Fast);
        await model.StartAsync(Token);
        try
        {
            await UntilAsync(() => model.Current?.Count == 3, "the first load");
            var account = (await TestData.SeedAccountsAsync(index.Db, 1))[0];

            await index.Db.ScalarAsync(
                "INSERT INTO likeness_search (id, account_id, number_of_followers, hair_color) VALUES ($1, $2, 10, 'RED')", NanoId.New(), account);
            await UntilAsync(() => model.Current?.Find(account)?.Attributes.HairColor == HairColor.Red, "the insert");
            Assert.AreEqual(account, Browse(model)[^1], "fewest followers last");

            await index.Db.ScalarAsync("UPDATE likeness_search SET number_of_followers = 1000 WHERE account_id = $1", account);
            await UntilAsync(() => Browse(model)[0] == account, "the update that moves it first");
            Assert.AreEqual(4L, model.Current!.Search(new SearchFilters(), 10, 0, []).Total);

            // The app's own write, an upsert (INSERT ... ON CONFLICT DO UPDATE), notifies as well.
            await new LikenessSearchAccess(index.Db.DataSource).UpsertSearchIndexAsync(
                account, new SearchAttributes { NumberOfFollowers = 1000, HairColor = HairColor.Blonde }, Token);
            await UntilAsync(() => model.Current?.Find(account)?.Attributes.HairColor == HairColor.Blonde, "the upsert");

            await index.Db.ScalarAsync("DELETE FROM account WHERE id = $1", account);
            await UntilAsync(() => model.Current?.Find(account) is null, "the delete, cascaded from the account");
            Assert.AreEqual(3, model.Current!.Count);
        }
        finally
        {
            await model.StopAsync(Token);
        }
    }

    [TestMethod]
    public async Task ABulkWriteTooBigForOneNotificationReloadsTheWholeTable()
    {
        await using var index = await SearchTestIndex.CreateAsync();
        var model = index.NotStarted(Fast);
        await model.StartAsync(Token);
        try
        {
            await UntilAsync(() => model.Current is not null, "the first load");
            var accounts = await TestData.SeedAccountsAsync(index.Db, 800);

            // 800 ids of 21 characters are more than the 8000 bytes a payload may hold.
            await index.Db.ScalarAsync(
                "INSERT INTO likeness_search (id, account_id, is_verified) SELECT 's' || a, a, true FROM unnest($1::text[]) AS t(a)", (object)accounts);

            await UntilAsync(() => model.Current?.Count == 800, "the bulk insert");
            Assert.AreEqual(800L, model.Current!.Search(new SearchFilters { IsVerified = true }, 1, 0, []).Total);
        }
        finally
        {
            await model.StopAsync(Token);
        }
    }

    [TestMethod]
    public async Task AfterItsConnectionIsKilledTheModelReconnectsAndReloadsWhatItMissed()
    {
        await using var index = await SearchTestIndex.CreateAsync();
        var model = index.NotStarted(new SearchReadModelOptions { Debounce = Fast.Debounce, RetryDelay = TimeSpan.FromSeconds(1) });
        await model.StartAsync(Token);
        try
        {
            await UntilAsync(() => model.Current is not null, "the first load");
            var killed = await index.Db.ScalarAsync(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'");
            Assert.AreEqual(1L, killed, "the one listening connection");

            // Written while nobody listens: only the reload on reconnect can bring it in.
            var account = (await TestData.SeedAccountsAsync(index.Db, 1))[0];
            await index.Db.ScalarAsync("INSERT INTO likeness_search (id, account_id) VALUES ($1, $2)", NanoId.New(), account);

            await UntilAsync(() => model.Current?.Find(account) is not null, "the reload after reconnecting");
        }
        finally
        {
            await model.StopAsync(Token);
        }
        Assert.IsNull(model.Current, "a stopped model answers nothing");
    }

    [TestMethod]
    public async Task TheServiceGivesTheSameExactPageAndFacetsFromTheModelAsFromPostgreSql()
    {
        await using var index = await SearchTestIndex.CreateAsync();
        var random = new Random(99);
        for (var i = 0; i < 30; i++)
        {
            await index.AccountAsync(RandomSearchData.Attributes(random));
        }
        var query = new SearchQuery { Filters = new SearchFilters { HasTattoos = true }, Limit = 5, Offset = 2, Facets = ["hairColor", "hasTattoos"] };
        var model = index.NotStarted(Fast);
        var sql = await index.Service(model).SearchAsync(query, Token);
        await model.StartAsync(Token);
        try
        {
            await UntilAsync(() => model.Current?.Count == 30, "the first load");
            var fast = await index.Service(model).SearchAsync(query, Token);

            Assert.AreEqual(sql.Total, fast.Total);
            CollectionAssert.AreEqual(sql.Results.Select(r => r.AccountId).ToList(), fast.Results.Select(r => r.AccountId).ToList());
            CollectionAssert.AreEquivalent(new[] { "hairColor", "hasTattoos" }, fast.Facets!.Keys.ToList());
            foreach (var (name, counts) in sql.Facets!)
            {
                CollectionAssert.AreEquivalent(counts.ToList(), fast.Facets[name].ToList(), name);
            }
        }
        finally
        {
            await model.StopAsync(Token);
        }
    }

    private static List<string> Browse(SearchReadModel model) =>
        [.. model.Current!.Search(new SearchFilters(), LikenessSearchAccess.MaxPageSize, 0, []).Rows.Select(r => r.AccountId)];

    private async Task UntilAsync(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.IsLessThan(Bound, watch.Elapsed, $"{what} did not show within {Bound}");
            await Task.Delay(20, Token);
        }
    }
}
