using Likeness.Shared.Data;
using Likeness.Shared.Indexing;
using Likeness.Shared.Providers;
using Likeness.Testing;
using Npgsql;

namespace LikenessFunctions.Tests;

/// <summary>Indexed accounts and their media, written as the indexer and the upload service write them.</summary>
internal static class SearchTestData
{
    /// <summary>The profile image every indexed account shows unless a test gives another.</summary>
    public const string Avatar = "avatar-ab12.jpg";

    public static readonly OfflineEmbedder Embedder = new();

    /// <summary>An account with both index rows and a servable profile image.</summary>
    public static async Task<Account> IndexedAccountAsync(NpgsqlDataSource dataSource, SearchAttributes attributes, string imageUrl = Avatar)
    {
        await TestMedia.SetAsync(dataSource, imageUrl);
        var account = await new AccountsAccess(dataSource).CreateAccountAsync(
            new NewAccount("talent-" + NanoId.New(), "Talent " + NanoId.New()[..6], imageUrl, null));
        await new LikenessSearchAccess(dataSource).UpsertSearchIndexAsync(account.Id, attributes);
        var content = TagText.Normalize(attributes);
        await new LikenessSearchVectorAccess(dataSource).VectorUpsertAsync(account.Id, content, await Embedder.EmbedAsync(content, CancellationToken.None));
        return account;
    }
}
