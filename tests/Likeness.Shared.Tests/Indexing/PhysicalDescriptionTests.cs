using Likeness.Shared.Indexing;

namespace Likeness.Shared.Tests.Indexing;

[TestClass]
public sealed class PhysicalDescriptionTests
{
    private static readonly DateOnly Today = new(2026, 6, 1);

    [TestMethod]
    [DataRow("Model, 5'9\" and sporty", 175)]
    [DataRow("I am 5’9” tall", 175)]
    [DataRow("height 5 ft 9 in", 175)]
    [DataRow("6 feet tall", 183)]
    [DataRow("Dancer, 175 cm", 175)]
    [DataRow("1.68 m, brown eyes", 168)]
    [DataRow("1,80m", 180)]
    public void HeightIsReadInCentimetres(string description, int height) =>
        Assert.AreEqual(height, PhysicalDescription.Parse(description, Today).Height);

    [TestMethod]
    [DataRow("62 kg, athletic", 62)]
    [DataRow("weighs 62kg", 62)]
    [DataRow("137 lbs", 62)]
    [DataRow("about 150 pounds", 68)]
    public void WeightIsReadInKilograms(string description, int weight) =>
        Assert.AreEqual(weight, PhysicalDescription.Parse(description, Today).Weight);

    [TestMethod]
    [DataRow("born 1996 in Lisbon", 1996)]
    [DataRow("Born in 1988.", 1988)]
    [DataRow("born March 2001", 2001)]
    [DataRow("27 years old", 1999)]
    [DataRow("a 30-year-old actor", 1996)]
    public void BirthYearIsReadOrWorkedOutFromTheAge(string description, int year) =>
        Assert.AreEqual(year, PhysicalDescription.Parse(description, Today).BirthYear);

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("Loves 5 things and 300 cm of snow; 12 kg of luggage")]
    [DataRow("born 1850")]
    public void NothingStatedOrNothingPlausibleGivesNoValues(string? description)
    {
        var parsed = PhysicalDescription.Parse(description, Today);

        Assert.AreEqual((null, null, null), (parsed.Height, parsed.Weight, parsed.BirthYear));
    }

    [TestMethod]
    public void AllThreeAreReadFromOneDescription()
    {
        var parsed = PhysicalDescription.Parse("Actress and model. 5'9\", 62 kg, born 1996. Based in London.", Today);

        Assert.AreEqual((175, 62, 1996), (parsed.Height, parsed.Weight, parsed.BirthYear));
    }
}
