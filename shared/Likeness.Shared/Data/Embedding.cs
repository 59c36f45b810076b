namespace Likeness.Shared.Data;

public static class Embedding
{
    /// <summary>text-embedding-3-small; the column is <c>vector(1536)</c>.</summary>
    public const int Dimensions = 1536;

    /// <summary>Rejects a vector the database would refuse, before it reaches SQL.</summary>
    public static void Validate(float[]? embedding, string paramName)
    {
        ArgumentNullException.ThrowIfNull(embedding, paramName);
        if (embedding.Length != Dimensions)
        {
            throw new ArgumentException($"An embedding has {Dimensions} dimensions, not {embedding.Length}.", paramName);
        }
        foreach (var x in embedding)
        {
            if (!float.IsFinite(x))
            {
                throw new ArgumentException("An embedding holds finite numbers only.", paramName);
            }
        }
    }
}
