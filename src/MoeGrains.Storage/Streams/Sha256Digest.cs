using System.Security.Cryptography;

namespace MoeGrains.Storage.Streams;

/// <summary>An incremental SHA-256 with a byte count.</summary>
internal sealed class Sha256Digest : IDisposable
{
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public long Length { get; private set; }

    public void Append(ReadOnlySpan<byte> data)
    {
        hash.AppendData(data);
        Length += data.Length;
    }

    /// <summary>Lower-case hex of the hash so far.</summary>
    public string HexHash() => Convert.ToHexStringLower(hash.GetCurrentHash());

    public static string Of(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public void Dispose() => hash.Dispose();
}
