namespace MoeGrains.Grains.Checkpoints;

/// <summary>Converts between the store's blob records and the wire records experts return.</summary>
public static class CheckpointBlobs
{
    /// <summary>Store → wire.</summary>
    public static Abstractions.Experts.SavedBlob ToWire(Storage.CheckpointBlob blob) => new(blob.Path, blob.Size, blob.Sha256, blob.IsOptimizerState);

    /// <summary>Wire → store.</summary>
    public static Storage.CheckpointBlob FromWire(Abstractions.Experts.SavedBlob blob) => new(blob.Path, blob.Size, blob.Sha256, blob.IsOptimizerState);
}
