namespace Likeness.Shared.Seeding;

/// <summary>A weighted choice: popular values come up often, rare ones rarely.</summary>
internal sealed class Distribution<T>
{
    private readonly T[] values;
    private readonly double[] cumulative;

    public Distribution(params (T Value, double Weight)[] choices)
    {
        values = choices.Select(c => c.Value).ToArray();
        cumulative = new double[choices.Length];
        var total = 0.0;
        for (var i = 0; i < choices.Length; i++)
        {
            total += choices[i].Weight;
            cumulative[i] = total;
        }
    }

    public T Sample(Random random)
    {
        var point = random.NextDouble() * cumulative[^1];
        var index = Array.FindIndex(cumulative, bound => point < bound);
        return values[index < 0 ? ^1 : index];
    }
}

internal static class RandomExtensions
{
    public static bool Chance(this Random random, double probability) => random.NextDouble() < probability;

    public static T Pick<T>(this Random random, IReadOnlyList<T> values) => values[random.Next(values.Count)];

    /// <summary>Box-Muller: one draw from a normal distribution.</summary>
    public static double Normal(this Random random, double mean, double standardDeviation)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return mean + standardDeviation * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Follower counts and engagement are log-normal: most accounts are small, a few are huge.</summary>
    public static double LogNormal(this Random random, double mu, double sigma) => Math.Exp(random.Normal(mu, sigma));
}
