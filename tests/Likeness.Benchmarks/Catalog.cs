using System.Text.Json;
using Likeness.Shared.Data;
using Likeness.Shared.Indexing;
using Likeness.Shared.Providers;
using Likeness.Shared.Seeding;

using Pgvector;

namespace Likeness.Benchmarks;

/// <summary>
/// The synthetic catalogue: account <c>i</c> of a seed is always the same person
/// (<see cref="DemoProfiles"/>: skewed, correlated attributes, log-normal followers), indexed the
/// way the indexer would index it: its image and voice tags aggregated
/// (<see cref="TagAggregator"/>), followers and primary platform from its social links, the
/// canonical tag text (<see cref="TagText"/>) embedded with the <see cref="OfflineEmbedder"/> the
/// app also uses for queries when no AI endpoint is set. Accounts that share attributes share
/// words, so the embeddings cluster the way the attributes do.
/// </summary>
internal static class Catalog
{
    public const int Seed = 6;

    private const string IdAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz-";

    private static readonly OfflineEmbedder Embedder = new();

    /// <summary>Ids in nanoid's alphabet and length, but derived from the index so every run has the same ones.</summary>
    public static string AccountId(int index) => Id(index, 0xACC);

    public static CatalogAccount Generate(int index)
    {
        var profile = DemoProfiles.Generate(Seed, index);
        var primary = profile.SocialLinks.OrderByDescending(l => l.FollowersCount ?? -1).First();
        var attributes = TagAggregator.Aggregate([.. profile.ImageTags, .. profile.VoiceTags]) with
        {
            NumberOfFollowers = profile.SocialLinks.Sum(l => l.FollowersCount ?? 0),
            PrimaryPlatform = primary.Platform,
        };
        var content = TagText.Normalize(attributes);
        return new CatalogAccount(index, AccountId(index), $"{profile.Slug}-{index}", profile, attributes, content, Embed(content));
    }

    /// <summary>The embedding the app computes for <paramref name="text"/> (the offline embedder is synchronous).</summary>
    public static Vector Embed(string text) => Embedder.EmbedAsync(text, CancellationToken.None).GetAwaiter().GetResult();

    public static string TagsJson(SearchAttributes tags) => JsonSerializer.Serialize(tags, LikenessJson.Options);

    // SplitMix64 of (kind, index) spelled in 21 characters of nanoid's alphabet.
    private static string Id(int index, int kind)
    {
        var state = ((ulong)(uint)kind << 32) | (uint)index;
        return string.Create(NanoId.Length, state, (span, seed) =>
        {
            var z = seed;
            for (var i = 0; i < span.Length; i++)
            {
                z += 0x9E3779B97F4A7C15UL;
                var x = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
                span[i] = IdAlphabet[(int)((x ^ (x >> 31)) & 63)];
            }
        });
    }
}

/// <summary>One account of the catalogue with what its index rows hold.</summary>
/// <param name="Content">The canonical tag text, what was embedded.</param>
internal sealed record CatalogAccount(
    int Index,
    string Id,
    string Slug,
    DemoProfile Profile,
    SearchAttributes Attributes,
    string Content,
    Vector Embedding);
