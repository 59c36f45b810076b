using Pgvector;

namespace Likeness.Shared.Data;

/// <summary>An account's row in <c>likeness_search_vector</c>: the embedded text, its embedding and the model that made it.</summary>
public sealed record LikenessSearchVector(
    string AccountId,
    string Content,
    Vector Embedding,
    string EmbeddingModel,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>An account near the query; <see cref="Distance"/> is the cosine distance (0 = same direction, 2 = opposite).</summary>
public sealed record VectorSearchHit(string AccountId, double Distance);

/// <summary>An account near the query with the assets to show for it.</summary>
public sealed record VectorSearchHit<TAsset>(string AccountId, double Distance, IReadOnlyList<TAsset> Assets);

/// <param name="ContentUrl">Media filename of the image; its media row is COMPLETE.</param>
public sealed record ImageAssetRef(string AssetId, string ContentUrl);

/// <param name="VoiceSampleUrl">Media filename of the rendered voice sample; its media row is COMPLETE.</param>
public sealed record VoiceAssetRef(string AssetId, string VoiceSampleUrl);

public sealed record VectorSearchOptions
{
    public const int MaxTopK = 1000;
    /// <summary>
    /// The lowest of the benchmark's ef_search values whose recall@20 reaches 0.95 at 100,000
    /// accounts (0.963, against 0.878 at 100), still 20 times faster than an exact scan.
    /// </summary>
    public const int DefaultEfSearch = 400;
    public const int MaxEfSearch = 1000;

    /// <summary>At most this many hits, 1 to <see cref="MaxTopK"/>.</summary>
    public required int TopK { get; init; }

    /// <summary>Hits farther than this cosine distance are dropped (inclusive bound).</summary>
    public required double MaxDistance { get; init; }

    /// <summary>Leaves this account out, e.g. the account whose lookalikes are searched.</summary>
    public string? ExcludeAccountId { get; init; }

    /// <summary>
    /// pgvector's <c>hnsw.ef_search</c>: candidates the HNSW index keeps per scan step; higher
    /// is more exact and slower (1 to <see cref="MaxEfSearch"/>, pgvector's limit).
    /// </summary>
    public int EfSearch { get; init; } = DefaultEfSearch;

    /// <summary>
    /// Strict filters: only accounts whose <c>likeness_search</c> row matches them (as the exact
    /// search matches, <see cref="SearchFilters"/>) are candidates, so an account without a search
    /// row never is. Null or no filter set: every account with a vector is a candidate.
    /// </summary>
    public SearchFilters? Filters { get; init; }
}
