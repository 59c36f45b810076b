using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Likeness.Shared.Data;

namespace Likeness.Shared.Seeding;

/// <summary>
/// Small but real media for demo accounts: a 16x16 PNG portrait (hair over skin, in the person's
/// colours) and a half-second WAV tone at the voice's pitch. Browsers and audio tools open them.
/// </summary>
public static class DemoMediaFiles
{
    private const int Side = 16;
    private const int SampleRate = 8000;

    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <param name="variant">Which photo of the person: tints the background so each file differs.</param>
    public static BinaryData Portrait(SearchAttributes person, int variant)
    {
        ArgumentNullException.ThrowIfNull(person);
        var hair = HairRgb(person.HairColor);
        var skin = SkinRgb(person.SkinColor);
        var background = (R: (byte)(40 + variant * 50 % 200), G: (byte)(90 + variant * 30 % 150), B: (byte)(160 - variant * 20 % 120));

        var pixels = new byte[Side * (1 + Side * 3)];
        for (var y = 0; y < Side; y++)
        {
            var row = y * (1 + Side * 3);
            pixels[row] = 0; // filter: none
            for (var x = 0; x < Side; x++)
            {
                var color = x < 2 || x >= Side - 2 ? background : y < 5 ? hair : skin;
                pixels[row + 1 + x * 3] = color.R;
                pixels[row + 2 + x * 3] = color.G;
                pixels[row + 3 + x * 3] = color.B;
            }
        }

        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, Side);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), Side);
        header[8] = 8; // bits per channel
        header[9] = 2; // truecolour RGB
        WriteChunk(png, "IHDR", header);
        WriteChunk(png, "IDAT", Deflate(pixels));
        WriteChunk(png, "IEND", []);
        return BinaryData.FromBytes(png.ToArray());
    }

    /// <summary>A 16-bit mono PCM tone whose frequency follows the voice's pitch.</summary>
    public static BinaryData VoiceRecording(VoicePitch? pitch, int variant)
    {
        var frequency = pitch switch
        {
            VoicePitch.VeryHigh => 320.0,
            VoicePitch.High => 250.0,
            VoicePitch.Low => 130.0,
            VoicePitch.VeryLow => 95.0,
            _ => 180.0,
        } + variant * 7;
        var samples = SampleRate / 2;
        var data = new byte[samples * 2];
        for (var i = 0; i < samples; i++)
        {
            // A short fade in and out keeps the tone from clicking.
            var envelope = Math.Min(1.0, Math.Min(i, samples - i) / (SampleRate * 0.02));
            var value = (short)(envelope * 9000 * Math.Sin(2 * Math.PI * frequency * i / SampleRate));
            BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(i * 2), value);
        }

        var wav = new byte[44 + data.Length];
        var span = wav.AsSpan();
        Encoding.ASCII.GetBytes("RIFF", span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], 36 + data.Length);
        Encoding.ASCII.GetBytes("WAVEfmt ", span[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16); // fmt chunk size
        BinaryPrimitives.WriteInt16LittleEndian(span[20..], 1); // PCM
        BinaryPrimitives.WriteInt16LittleEndian(span[22..], 1); // mono
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], SampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], SampleRate * 2); // bytes per second
        BinaryPrimitives.WriteInt16LittleEndian(span[32..], 2); // block align
        BinaryPrimitives.WriteInt16LittleEndian(span[34..], 16); // bits per sample
        Encoding.ASCII.GetBytes("data", span[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], data.Length);
        data.CopyTo(span[44..]);
        return BinaryData.FromBytes(wav);
    }

    private static (byte R, byte G, byte B) HairRgb(HairColor? color) => color switch
    {
        HairColor.Black => (25, 20, 20),
        HairColor.Blonde => (222, 190, 120),
        HairColor.Red => (170, 60, 30),
        HairColor.Auburn => (120, 50, 30),
        HairColor.Gray => (150, 150, 150),
        HairColor.White => (235, 235, 230),
        HairColor.Colored => (150, 60, 200),
        HairColor.Bald => (205, 160, 130),
        _ => (95, 60, 35),
    };

    private static (byte R, byte G, byte B) SkinRgb(SkinColor? color) => color switch
    {
        SkinColor.Fair => (245, 215, 195),
        SkinColor.Light => (230, 190, 160),
        SkinColor.Olive => (195, 150, 105),
        SkinColor.Tan => (190, 135, 95),
        SkinColor.Brown => (140, 90, 60),
        SkinColor.Dark => (85, 55, 40),
        _ => (210, 165, 125),
    };

    private static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(data);
        }
        return output.ToArray();
    }

    private static void WriteChunk(Stream png, string type, byte[] data)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(buffer, data.Length);
        png.Write(buffer);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(buffer, Crc32([.. typeBytes, .. data]));
        png.Write(buffer);
    }

    // PNG's CRC-32 (ISO 3309); System.IO.Hashing is not available from this machine's registry.
    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        return crc ^ 0xFFFFFFFFu;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            table[n] = c;
        }
        return table;
    }
}
