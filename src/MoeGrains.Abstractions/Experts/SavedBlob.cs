namespace MoeGrains.Abstractions.Experts;

/// <summary>One blob written into a checkpoint version.</summary>
/// <param name="Path">Path relative to the version folder, e.g. <c>experts/1-3/weights.bin</c>.</param>
/// <param name="Size">Bytes.</param>
/// <param name="Sha256">Lower-case hex SHA-256.</param>
/// <param name="IsOptimizerState">True for optimizer-state blobs.</param>
[GenerateSerializer, Immutable, Alias("moe.SavedBlob")]
public sealed record SavedBlob([property: Id(0)] string Path, [property: Id(1)] long Size, [property: Id(2)] string Sha256, [property: Id(3)] bool IsOptimizerState);
