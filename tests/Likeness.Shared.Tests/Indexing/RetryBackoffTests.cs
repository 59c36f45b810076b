using Likeness.Shared.Indexing;

namespace Likeness.Shared.Tests.Indexing;

[TestClass]
public sealed class RetryBackoffTests
{
    private static readonly IndexingOptions Options = new()
    {
        RetryBaseDelay = TimeSpan.FromSeconds(30),
        RetryBackoffFactor = 4,
        MaxRetryDelay = TimeSpan.FromHours(1),
    };

    [TestMethod]
    [DataRow(1, 30)]
    [DataRow(2, 120)]
    [DataRow(3, 480)]
    [DataRow(4, 1920)]
    [DataRow(5, 3600)]
    public void DelayGrowsExponentiallyUpToTheCapWithJitterInItsUpperHalf(int attempt, int fullSeconds)
    {
        var random = new Random(7);
        for (var i = 0; i < 100; i++)
        {
            var delay = RetryBackoff.Delay(Options, attempt, random: random).TotalSeconds;

            Assert.IsGreaterThanOrEqualTo(fullSeconds * 0.5, delay);
            Assert.IsLessThanOrEqualTo(fullSeconds, delay);
        }
    }

    [TestMethod]
    public void AProvidersRetryAfterIsALowerBound()
    {
        var delay = RetryBackoff.Delay(Options, 1, retryAfter: TimeSpan.FromMinutes(10));

        Assert.AreEqual(TimeSpan.FromMinutes(10), delay);
    }

    [TestMethod]
    public void AttemptsCountFromOne()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => RetryBackoff.Delay(Options, 0));
    }
}
