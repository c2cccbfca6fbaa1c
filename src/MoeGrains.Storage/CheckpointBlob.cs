namespace MoeGrains.Storage;

/// <summary>One file of a committed checkpoint, as its manifest records it.</summary>
/// <param name="Path">Path relative to the version folder, e.g. <c>experts/0-3/weights.bin</c>.</param>
/// <param name="Size">Length in bytes.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the content.</param>
/// <param name="IsOptimizerState">True for optimizer state (moments etc.), which inference never needs.</param>
public sealed record CheckpointBlob(string Path, long Size, string Sha256, bool IsOptimizerState);
