namespace MoeGrains.Grains.Persistence;

/// <summary>Where the <c>moe</c> grain storage provider keeps grain state.</summary>
public enum GrainStorageKind
{
    /// <summary>In silo memory: lost when the silo stops (the default; fine for tests and throwaway runs).</summary>
    Memory,

    /// <summary>JSON files under <see cref="MoeGrainsStorageOptions.Folder"/>: the embedded single-silo default.</summary>
    Files,

    /// <summary>Azure Blob Storage (Azurite locally) through <c>Microsoft.Orleans.Persistence.AzureStorage</c>.</summary>
    AzureBlob,
}
