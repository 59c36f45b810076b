namespace Likeness.Shared.Data;

/// <summary>Argument checks that name the offending argument before anything reaches SQL.</summary>
internal static class Guard
{
    public static void Id(string? id, string paramName) => ArgumentException.ThrowIfNullOrWhiteSpace(id, paramName);

    public static void Defined<T>(T value, string paramName) where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"Not a defined {typeof(T).Name} value.");
        }
    }

    public static void NotNegative(long value, string paramName) => ArgumentOutOfRangeException.ThrowIfNegative(value, paramName);

    public static void Positive(long value, string paramName) => ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value, paramName);
}
