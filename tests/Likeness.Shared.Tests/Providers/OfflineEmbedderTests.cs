using Likeness.Shared.Data;
using Likeness.Shared.Providers;

namespace Likeness.Shared.Tests.Providers;

[TestClass]
public sealed class OfflineEmbedderTests
{
    private const string Blonde = "gender female hair color blonde hair length long eye color blue category models country uk";

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Token => TestContext.CancellationToken;

    [TestMethod]
    public async Task SameTextGivesTheSameVectorInEveryInstance()
    {
        var first = await new OfflineEmbedder().EmbedAsync(Blonde, Token);
        var second = await new OfflineEmbedder().EmbedAsync(Blonde, Token);

        Assert.AreEqual(first, second);
    }

    [TestMethod]
    public async Task VectorHasTheColumnsDimensionsAndUnitLength()
    {
        var vector = await new OfflineEmbedder().EmbedAsync(Blonde, Token);

        Embedding.Validate(vector, nameof(vector));
        Assert.AreEqual(1.0, Math.Sqrt(vector.ToArray().Sum(x => (double)x * x)), 1e-5);
    }

    [TestMethod]
    public async Task SimilarTextsAreCloserThanDifferentOnes()
    {
        var embedder = new OfflineEmbedder();
        var blonde = await embedder.EmbedAsync(Blonde, Token);
        var similar = await embedder.EmbedAsync("gender female hair color blonde hair length medium eye color green category models country uk", Token);
        var different = await embedder.EmbedAsync("gender male hair color bald facial hair beard full voice pitch low accent scottish category voice artists", Token);

        var near = TestData.CosineDistance(blonde, similar);
        var far = TestData.CosineDistance(blonde, different);

        Assert.IsLessThan(0.35, near);
        Assert.IsGreaterThan(0.6, far);
    }

    [TestMethod]
    public async Task CaseAndPunctuationDoNotChangeTheVector()
    {
        var embedder = new OfflineEmbedder();

        Assert.AreEqual(
            await embedder.EmbedAsync("hair color: blonde", Token),
            await embedder.EmbedAsync("HAIR_COLOR BLONDE!", Token));
    }

    [TestMethod]
    public async Task TextWithoutWordsGetsOneFixedUnitVector()
    {
        var embedder = new OfflineEmbedder();

        var dashes = await embedder.EmbedAsync("---", Token);
        var dots = await embedder.EmbedAsync("...", Token);

        Assert.AreEqual(dashes, dots);
        Assert.AreEqual(1.0, Math.Sqrt(dashes.ToArray().Sum(x => (double)x * x)), 1e-6);
    }

    [TestMethod]
    public async Task EmptyTextIsRejected()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => new OfflineEmbedder().EmbedAsync("  ", Token));
    }
}
