namespace MoeGrains.Storage;

/// <summary>How one stored blob differs from its manifest entry.</summary>
/// <param name="Path">Path relative to the version folder.</param>
/// <param name="ExpectedSize">Size in the manifest.</param>
/// <param name="ActualSize">Size read from storage; null if the blob is missing.</param>
/// <param name="ExpectedSha256">SHA-256 in the manifest.</param>
/// <param name="ActualSha256">SHA-256 of the bytes read; null if missing or not read to the end.</param>
public sealed record BlobMismatch(string Path, long ExpectedSize, long? ActualSize, string ExpectedSha256, string? ActualSha256)
{
    /// <summary>One line describing the mismatch.</summary>
    public string Describe() => ActualSize is null
        ? $"'{Path}' is missing (expected {ExpectedSize} bytes, sha256 {ExpectedSha256})"
        : $"'{Path}' has {ActualSize} bytes, sha256 {ActualSha256 ?? "(not computed)"}; expected {ExpectedSize} bytes, sha256 {ExpectedSha256}";
}
