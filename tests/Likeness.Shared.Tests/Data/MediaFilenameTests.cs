using System.Text.RegularExpressions;
using Likeness.Shared.Data;

namespace Likeness.Shared.Tests.Data;

[TestClass]
public sealed class MediaFilenameTests
{
    [TestMethod]
    [DataRow("photo.jpg", "photo", ".jpg")]
    [DataRow("My Holiday Photo!.JPG", "my-holiday-photo", ".jpg")]
    [DataRow("Café Über.png", "caf-ber", ".png")]
    [DataRow("Cafe\u0301 U\u0308ber.png", "cafe-uber", ".png")]
    [DataRow("  --Hello__World--  .Jpeg", "hello-world", ".jpeg")]
    [DataRow("C:\\Users\\ada\\Résumé.PDF", "r-sum", ".pdf")]
    [DataRow("../../etc/passwd", "passwd", "")]
    [DataRow("archive.tar.gz", "archive-tar", ".gz")]
    [DataRow("voice sample 2", "voice-sample-2", "")]
    [DataRow(".env", "file", ".env")]
    [DataRow("日本.jpg", "file", ".jpg")]
    [DataRow("", "file", "")]
    [DataRow("photo.j p_g", "photo", ".jpg")]
    [DataRow("clip.mpeg4video-extra", "clip", ".mpeg4video")]
    public void CreatedFilenameIsASlugOfTheNameARandomSuffixAndTheLowercasedExtension(string original, string expectedBase, string expectedExtension)
    {
        var filename = MediaFilename.Create(original);

        StringAssert.Matches(filename, new Regex($"^{Regex.Escape(expectedBase)}-[a-z0-9]{{4}}{Regex.Escape(expectedExtension)}$"));
        Assert.IsTrue(MediaFilename.IsValid(filename), filename);
    }

    [TestMethod]
    public void LongNamesAreCutToTheMaximumBaseLengthWithoutATrailingHyphen()
    {
        var original = new string('a', MediaFilename.MaxBaseLength - 1) + " b c d.png";

        var filename = MediaFilename.Create(original);

        Assert.AreEqual(new string('a', MediaFilename.MaxBaseLength - 1), filename[..filename.IndexOf('-', StringComparison.Ordinal)]);
        Assert.AreEqual(MediaFilename.MaxBaseLength - 1 + 1 + MediaFilename.SuffixLength + ".png".Length, filename.Length);
    }

    [TestMethod]
    public void NamesWithBrokenUnicodeStillGiveValidFilenames()
    {
        var filename = MediaFilename.Create("bad\ud800name.mp3");

        StringAssert.Matches(filename, new Regex("^bad-name-[a-z0-9]{4}\\.mp3$"));
    }

    [TestMethod]
    public void TheRandomSuffixKeepsUploadsOfTheSameNameApart()
    {
        var filenames = Enumerable.Range(0, 20).Select(_ => MediaFilename.Create("photo.jpg")).ToHashSet();

        Assert.IsGreaterThan(1, filenames.Count);
    }

    [TestMethod]
    public void ANullOriginalFilenameIsRejectedNamingTheArgument()
    {
        var error = Assert.ThrowsExactly<ArgumentNullException>(() => MediaFilename.Create(null!));

        Assert.AreEqual("originalFilename", error.ParamName);
    }

    [TestMethod]
    [DataRow("photo-a3f2.jpg")]
    [DataRow("my-photo-0000.png")]
    [DataRow("file-abcd")]
    [DataRow("a-b-c-1234.mp3")]
    [DataRow("clip-zz99.mpeg4video")]
    public void FilenamesOfTheCreatedShapeAreValid(string filename) => Assert.IsTrue(MediaFilename.IsValid(filename));

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("photo.jpg")]
    [DataRow("Photo-a3f2.jpg")]
    [DataRow("photo-A3F2.jpg")]
    [DataRow("photo-a3f.jpg")]
    [DataRow("photo-a3f2.JPG")]
    [DataRow("photo-a3f2.")]
    [DataRow("photo-a3f2.j_g")]
    [DataRow("photo-a3f2.abcdefghijk")]
    [DataRow("photo-a3f2.tar.gz")]
    [DataRow("-a3f2.jpg")]
    [DataRow("photo--a3f2.jpg")]
    [DataRow("../photo-a3f2.jpg")]
    [DataRow("dir/photo-a3f2.jpg")]
    [DataRow("photo-a3f2.jpg\n")]
    [DataRow("photo a3f2.jpg")]
    public void OtherStringsAreNotValidFilenames(string? filename) => Assert.IsFalse(MediaFilename.IsValid(filename));
}
