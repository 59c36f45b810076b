using Pgvector;

namespace Likeness.Shared.Data;

public static class Embedding
{
    /// <summary>text-embedding-3-small; the column is <c>vector(1536)</c>.</summary>
    public const int Dimensions = 1536;

    /// <summary>
    /// Rejects a vector the database would refuse, before it reaches SQL, so the error names the
    /// argument (or the model) that produced it rather than a statement in a batch.
    /// </summary>
    public static void Validate(Vector? embedding, string paramName)
    {
        ArgumentNullException.ThrowIfNull(embedding, paramName);
        var values = embedding.Memory.Span;
        if (values.Length != Dimensions)
        {
            throw new ArgumentException($"An embedding has {Dimensions} dimensions, not {values.Length}.", paramName);
        }
        foreach (var x in values)
        {
            if (!float.IsFinite(x))
            {
                throw new ArgumentException("An embedding holds finite numbers only.", paramName);
            }
        }
    }
}
