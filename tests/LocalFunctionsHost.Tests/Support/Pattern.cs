using System.Net;
using System.Security.Cryptography;

namespace LocalFunctionsHost.Tests.Support;

/// <summary>The test worker's deterministic bytes: byte at offset i = i % 251.</summary>
internal static class Pattern
{
    public static byte At(long offset) => (byte)(offset % 251);

    public static void Fill(Span<byte> buffer, long offset)
    {
        for (var i = 0; i < buffer.Length; i++)
        {
            buffer[i] = At(offset + i);
        }
    }

    /// <summary>A request body of <c>length</c> pattern bytes, sent chunked as it is made, never held whole.</summary>
    internal sealed class Content(long length) : HttpContent
    {
        private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public string Sha256 => Convert.ToHexString(_sha.GetHashAndReset());

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var chunk = new byte[64 * 1024];
            for (long sent = 0; sent < length; sent += chunk.Length)
            {
                var size = (int)Math.Min(chunk.Length, length - sent);
                Fill(chunk.AsSpan(0, size), sent);
                _sha.AppendData(chunk, 0, size);
                await stream.WriteAsync(chunk.AsMemory(0, size));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            _sha.Dispose();
            base.Dispose(disposing);
        }
    }
}
