using Likeness.Shared.Data;
using Likeness.Shared.Providers;
using Likeness.Testing;

namespace LikenessFunctions.Tests;

/// <summary><c>reindex</c> run as the real ops command against a private database.</summary>
[TestClass]
public sealed class ReindexCommandTests
{
    [TestMethod]
    public async Task ReindexEnqueuesOneEventPerIndexableAccountWithProgressAndNothingMoreWhenRunAgain()
    {
        await using var db = await TestDatabase.CreateAsync();
        for (var i = 0; i < 5; i++)
        {
            await CreateIndexableAccountAsync(db);
        }
        await new AccountsAccess(db.DataSource).CreateAccountAsync(new NewAccount("talent-" + NanoId.New(), "No Terms", "a-ab12.jpg", null));

        var (exitCode, output) = await AppProcess.RunCommandAsync(db.ConnectionString, "reindex", "--batch-size", "2");

        Assert.AreEqual(0, exitCode, output);
        StringAssert.Contains(output, "2 account(s) scanned, 2 event(s) enqueued");
        StringAssert.Contains(output, "4 account(s) scanned, 4 event(s) enqueued");
        StringAssert.Contains(output, "Re-index: enqueued 5 event(s) for 5 account(s); 0 already had an event waiting.");
        Assert.AreEqual(5L, await db.ScalarAsync("SELECT count(DISTINCT account_id) FROM likeness_need_indexing_queue WHERE status = 'PENDING' AND info->>'source' = 'reindex'"));

        var (againExitCode, again) = await AppProcess.RunCommandAsync(db.ConnectionString, "reindex");

        Assert.AreEqual(0, againExitCode, again);
        StringAssert.Contains(again, "Re-index: enqueued 0 event(s) for 5 account(s); 5 already had an event waiting.");
        Assert.AreEqual(5L, await db.ScalarAsync("SELECT count(*) FROM likeness_need_indexing_queue"));
    }

    [TestMethod]
    public async Task StaleModelReindexEnqueuesOnlyAccountsWhoseVectorIsOfAnotherModel()
    {
        await using var db = await TestDatabase.CreateAsync();
        var current = await CreateIndexableAccountAsync(db);
        var stale = await CreateIndexableAccountAsync(db);
        await CreateIndexableAccountAsync(db);
        var vector = new Pgvector.Vector(FakeOpenAiServer.VectorFor("x", Embedding.Dimensions));
        // The command runs without an AI endpoint, so its model is the offline embedder's.
        await new LikenessSearchVectorAccess(db.DataSource, OfflineEmbedder.ModelName).VectorUpsertAsync(current, "tags", vector);
        await new LikenessSearchVectorAccess(db.DataSource, "text-embedding-3-small").VectorUpsertAsync(stale, "tags", vector);

        var (exitCode, output) = await AppProcess.RunCommandAsync(db.ConnectionString, "reindex", "--stale-model");

        Assert.AreEqual(0, exitCode, output);
        StringAssert.Contains(output, $"Embedding model {OfflineEmbedder.ModelName}: 1 vector(s) of another model.");
        StringAssert.Contains(output, "Re-index: enqueued 1 event(s) for 1 account(s)");
        Assert.AreEqual(stale, await db.ScalarAsync("SELECT string_agg(account_id, ',') FROM likeness_need_indexing_queue"));
    }

    [TestMethod]
    public async Task UnknownReindexArgumentsAreRefusedWithTheUsage()
    {
        await using var db = await TestDatabase.CreateAsync();

        var (exitCode, output) = await AppProcess.RunCommandAsync(db.ConnectionString, "reindex", "--batch-size", "0");

        Assert.AreEqual(2, exitCode, output);
        StringAssert.Contains(output, "--batch-size takes a whole number from 1, not '0'.");
        StringAssert.Contains(output, "LikenessOps reindex [--stale-model] [--batch-size N]");
    }

    private static async Task<string> CreateIndexableAccountAsync(TestDatabase db)
    {
        var account = await new AccountsAccess(db.DataSource).CreateAccountAsync(new NewAccount("talent-" + NanoId.New(), "Test Talent", "avatar-ab12.jpg", null));
        await new IpTermsAccess(db.DataSource).CreateIpTermAsync(account.Id, IpTermType.Likeness, IpTermStatus.Approved);
        return account.Id;
    }
}
