using Likeness.Shared.Data;
using Likeness.Shared.Indexing;
using Likeness.Shared.Providers;
using Likeness.Shared.Search;
using Likeness.Shared.Search.ReadModel;
using Likeness.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Likeness.Shared.Tests.Search;

/// <summary>
/// A private database with accounts indexed the way the indexer leaves them (attributes row and
/// the offline embedding of their tag text), and a search service over it.
/// </summary>
internal sealed class SearchTestIndex : IAsyncDisposable
{
    private SearchTestIndex(TestDatabase db) => Db = db;

    public TestDatabase Db { get; }

    public OfflineEmbedder Embedder { get; } = new();

    public static async Task<SearchTestIndex> CreateAsync() => new(await TestDatabase.CreateAsync());

    /// <summary>The service as the app builds it, with a read model that is not started: exact search goes to PostgreSQL.</summary>
    public LikenessSearchService Service(SearchOptions? options = null, IEmbedder? embedder = null) => Service(NotStarted(), options, embedder);

    public LikenessSearchService Service(SearchReadModel model, SearchOptions? options = null, IEmbedder? embedder = null) => new(
        new ExactSearch(new LikenessSearchAccess(Db.DataSource), model),
        new LikenessSearchVectorAccess(Db.DataSource),
        new SearchReadAccess(Db.DataSource),
        embedder ?? Embedder,
        Options.Create(options ?? new SearchOptions()),
        NullLogger<LikenessSearchService>.Instance);

    /// <summary>The read model over this database, not started.</summary>
    public SearchReadModel NotStarted(SearchReadModelOptions? options = null) => new(
        Db.DataSource, new LikenessSearchAccess(Db.DataSource), Options.Create(options ?? new SearchReadModelOptions()), NullLogger<SearchReadModel>.Instance);

    /// <summary>An account with both index rows; null <paramref name="attributes"/> gives an account that is not indexed.</summary>
    public async Task<Account> AccountAsync(SearchAttributes? attributes, string? imageUrl = "avatar-ab12.jpg", MediaStatus imageStatus = MediaStatus.Complete)
    {
        var account = await TestData.CreateAccountAsync(Db.DataSource, imageUrl: imageUrl, imageStatus: imageStatus);
        if (attributes is not null)
        {
            await new LikenessSearchAccess(Db.DataSource).UpsertSearchIndexAsync(account.Id, attributes);
            var content = TagText.Normalize(attributes);
            await new LikenessSearchVectorAccess(Db.DataSource).VectorUpsertAsync(account.Id, content, await Embedder.EmbedAsync(content, CancellationToken.None));
        }
        return account;
    }

    /// <summary>The exact cosine distance of every stored embedding to <paramref name="text"/>'s, by a full scan.</summary>
    public async Task<Dictionary<string, double>> DistancesAsync(string text)
    {
        var query = await Embedder.EmbedAsync(text, CancellationToken.None);
        await using var command = Db.DataSource.CreateCommand("SELECT account_id, embedding <=> $1 FROM likeness_search_vector");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = query });
        var distances = new Dictionary<string, double>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            distances[reader.GetString(0)] = reader.GetDouble(1);
        }
        return distances;
    }

    public ValueTask DisposeAsync() => Db.DisposeAsync();
}
