namespace MoeGrains.Storage;

/// <summary>How large blobs move to and from Azure: in blocks/ranges of <see cref="BlockSizeBytes"/>, <see cref="MaxConcurrency"/> at a time.</summary>
public sealed class CheckpointStoreTransferOptions
{
    /// <summary>Block (upload) and range (download) size; blobs up to this size go in one request. Default 8 MiB.</summary>
    public int BlockSizeBytes { get; set; } = 8 << 20;

    /// <summary>Blocks or ranges in flight per blob. Default 8; memory per upload is about this times <see cref="BlockSizeBytes"/>.</summary>
    public int MaxConcurrency { get; set; } = 8;
}
