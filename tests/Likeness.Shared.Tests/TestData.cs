using Likeness.Shared.Data;
using Likeness.Testing;
using Npgsql;
using Pgvector;

namespace Likeness.Shared.Tests;

/// <summary>Builders for the rows and values a test needs, each with fresh unique values.</summary>
internal static class TestData
{
    /// <param name="imageUrl">The profile image, servable (a COMPLETE media row) unless <paramref name="imageStatus"/> says otherwise.</param>
    public static async Task<Account> CreateAccountAsync(
        NpgsqlDataSource dataSource, string? displayName = "Test Talent", string? imageUrl = "avatar-ab12.jpg", string? description = null,
        MediaStatus imageStatus = MediaStatus.Complete)
    {
        // Only a media filename can have a media row; a URL elsewhere stays unservable.
        if (imageUrl is not null && MediaFilename.IsValid(imageUrl))
        {
            await TestMedia.SetAsync(dataSource, imageUrl, imageStatus);
        }
        return await new AccountsAccess(dataSource).CreateAccountAsync(new NewAccount("talent-" + NanoId.New(), displayName, imageUrl, description));
    }

    /// <returns>The id of a new account whose stored embedding is <paramref name="embedding"/>.</returns>
    public static async Task<string> CreateEmbeddedAccountAsync(TestDatabase database, Vector embedding)
    {
        var account = await CreateAccountAsync(database.DataSource);
        await new LikenessSearchVectorAccess(database.DataSource).VectorUpsertAsync(account.Id, "tags", embedding);
        return account.Id;
    }

    public static Task InsertTermAsync(TestDatabase database, string accountId, string type, string status) =>
        database.ScalarAsync(
            "INSERT INTO ip_terms (id, account_id, type, status) VALUES ($1, $2, $3::ip_terms_type, $4::ip_terms_status)",
            NanoId.New(), accountId, type, status);

    /// <summary>An asset created <paramref name="minutesAgo"/>, which the access classes cannot backdate.</summary>
    /// <returns>Its id.</returns>
    public static async Task<string> InsertAssetAsync(TestDatabase database, string accountId, string type, string contentUrl, string? voiceSampleUrl, int minutesAgo)
    {
        var id = NanoId.New();
        await database.ScalarAsync(
            """
            INSERT INTO likeness_assets (id, account_id, type, content_url, voice_sample_url, created_at)
            VALUES ($1, $2, $3::likeness_assets_type, $4, $5, now() - make_interval(mins => $6))
            """,
            id, accountId, type, contentUrl, voiceSampleUrl is null ? DBNull.Value : voiceSampleUrl, minutesAgo);
        return id;
    }

    public static async Task<QueueEvent> AddEventAsync(TestDatabase database, LikenessNeedIndexingQueueAccess access, string? accountId = null)
    {
        accountId ??= (await CreateAccountAsync(database.DataSource)).Id;
        return await access.AddToQueueAsync(accountId, QueueElementType.ImageAsset, NanoId.New(), null);
    }

    public static async Task<QueueEvent> InProgressEventAsync(TestDatabase database, LikenessNeedIndexingQueueAccess access, string? accountId = null)
    {
        var added = await AddEventAsync(database, access, accountId);
        Assert.IsTrue(await access.MarkEventInProgressAsync(added.Id));
        return (await access.GetEventByIdAsync(added.Id))!;
    }

    public static async Task<string[]> SeedAccountsAsync(TestDatabase database, int count)
    {
        var ids = Enumerable.Range(0, count).Select(_ => NanoId.New()).ToArray();
        await database.ScalarAsync("INSERT INTO account (id, slug) SELECT id, 'talent-' || id FROM unnest($1::text[]) AS a(id)", (object)ids);
        return ids;
    }

    /// <summary>One PENDING event per entry of <paramref name="accountIds"/>, a millisecond apart in that order, in one statement.</summary>
    public static async Task<string[]> SeedPendingEventsAsync(TestDatabase database, string[] accountIds)
    {
        var ids = accountIds.Select(_ => NanoId.New()).ToArray();
        await database.ScalarAsync("""
            INSERT INTO likeness_need_indexing_queue (id, account_id, element_type, created_at)
            SELECT e.id, e.account_id, 'IMAGE_ASSET', now() + e.position * interval '1 millisecond'
            FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS e(id, account_id, position)
            """, ids, accountIds);
        return ids;
    }

    public static NewMediaFile NewPhoto(string? filename = null) =>
        new(filename ?? MediaFilename.Create("Photo.JPG"), "Photo.JPG", "uploads/2026/photo.jpg", "media", "westeurope", "image/jpeg");

    /// <summary>The unit vector along <paramref name="axis"/>.</summary>
    public static Vector Axis(int axis) => VectorWith(v => v[axis] = 1);

    public static Vector Opposite(int axis) => VectorWith(v => v[axis] = -1);

    /// <summary>Halfway between two axes: cosine distance 1 - 1/√2 from each.</summary>
    public static Vector Between(int a, int b) => VectorWith(v => v[a] = v[b] = 1);

    /// <summary><paramref name="center"/> moved by up to <paramref name="spread"/>/2 in every dimension.</summary>
    public static Vector Noisy(Vector center, float spread, Random random) =>
        new(center.ToArray().Select(x => x + (spread * (random.NextSingle() - 0.5f))).ToArray());

    public static double CosineDistance(Vector a, Vector b)
    {
        var x = a.Memory.Span;
        var y = b.Memory.Span;
        double dot = 0, normX = 0, normY = 0;
        for (var i = 0; i < x.Length; i++)
        {
            dot += (double)x[i] * y[i];
            normX += (double)x[i] * x[i];
            normY += (double)y[i] * y[i];
        }
        return 1 - (dot / Math.Sqrt(normX * normY));
    }

    private static Vector VectorWith(Action<float[]> set)
    {
        var values = new float[Embedding.Dimensions];
        set(values);
        return new Vector(values);
    }
}
