namespace MoeGrains.Storage;

/// <summary>Which backend holds the checkpoints.</summary>
public enum CheckpointStoreKind
{
    /// <summary>A folder on this machine (the embedded default).</summary>
    Local,

    /// <summary>An Azure Blob Storage container (or Azurite).</summary>
    AzureBlob,
}
