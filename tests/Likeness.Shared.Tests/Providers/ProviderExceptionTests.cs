using Likeness.Shared.Providers;

namespace Likeness.Shared.Tests.Providers;

[TestClass]
public sealed class ProviderExceptionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [TestMethod]
    public void RetryAfterInMillisecondsWinsOverSeconds()
    {
        Assert.AreEqual(TimeSpan.FromMilliseconds(1500), ProviderException.ParseRetryAfter("1500", "2", Now));
    }

    [TestMethod]
    public void RetryAfterIsReadAsSecondsOrAsAnHttpDate()
    {
        Assert.AreEqual(TimeSpan.FromSeconds(7), ProviderException.ParseRetryAfter(null, "7", Now));
        Assert.AreEqual(TimeSpan.FromSeconds(30), ProviderException.ParseRetryAfter(null, "Sun, 22 Nov 2026 12:00:30 GMT", Now));
        Assert.AreEqual(TimeSpan.Zero, ProviderException.ParseRetryAfter(null, "Sun, 22 Nov 2026 11:00:00 GMT", Now));
    }

    [TestMethod]
    public void MissingOrUnreadableRetryAfterIsNull()
    {
        Assert.IsNull(ProviderException.ParseRetryAfter(null, null, Now));
        Assert.IsNull(ProviderException.ParseRetryAfter("soon", "later", Now));
    }
}
