using System.Text;
using Likeness.Shared.Data;
using Pgvector;

namespace Likeness.Shared.Providers;

/// <summary>
/// A deterministic embedder that needs no network or key, so indexing and semantic search work
/// on a fresh machine. Feature hashing: every lower-cased word and every pair of adjacent words
/// adds a signed weight to one of <see cref="Embedding.Dimensions"/> buckets (FNV-1a of its UTF-8
/// bytes), and the sum is scaled to unit length. Texts that share words point the same way, which
/// is all cosine distance needs; it knows nothing of synonyms.
/// </summary>
public sealed class OfflineEmbedder : IEmbedder
{
    private const float WordWeight = 1f;

    // Pairs keep some word order ("long hair, short beard" vs "short hair, long beard") without
    // drowning out the words themselves.
    private const float PairWeight = 0.5f;

    // Text without a single word still needs a direction: an all-zero vector has no cosine
    // distance to anything. All such texts share this one.
    private const string NoWordsFeature = "\u0000no-words";

    public const string ModelName = "offline-feature-hashing-v1";

    public string Model => ModelName;

    public Task<Vector> EmbedAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        return Task.FromResult(new Vector(Embed(text)));
    }

    private static float[] Embed(string text)
    {
        var vector = new float[Embedding.Dimensions];
        var words = Words(text);
        for (var i = 0; i < words.Count; i++)
        {
            Add(vector, words[i], WordWeight);
            if (i > 0)
            {
                Add(vector, words[i - 1] + " " + words[i], PairWeight);
            }
        }

        var length = MathF.Sqrt(vector.Sum(x => x * x));
        // Also reached, however unlikely, when colliding features of opposite sign cancel out.
        if (length == 0)
        {
            Add(vector, NoWordsFeature, 1f);
            length = 1f;
        }
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] /= length;
        }
        return vector;
    }

    /// <summary>Runs of letters and digits, lower-cased: <c>HAIR_COLOR: Blonde!</c> is <c>hair color blonde</c>.</summary>
    private static List<string> Words(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
            }
            else if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }
        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }
        return words;
    }

    private static void Add(float[] vector, string feature, float weight)
    {
        var hash = Fnv1a(feature);
        // The top bit picks the sign, so colliding features cancel out on average instead of piling up.
        var sign = (hash >> 63) == 0 ? 1f : -1f;
        vector[(int)(hash % (ulong)vector.Length)] += sign * weight;
    }

    /// <summary>64-bit FNV-1a: stable across processes and .NET versions, unlike string.GetHashCode.</summary>
    private static ulong Fnv1a(string feature)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(feature))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }
        return hash;
    }
}
