using MoeGrains.Cluster.Tests.Placement;
using MoeGrains.Storage;
using MoeGrains.Testing;

namespace MoeGrains.Cluster.Tests.Outage;

/// <summary>Silos whose checkpoints live in a container of the test's Azurite (grain state stays in memory, so only the checkpoint store can go away).</summary>
internal static class AzuriteCheckpoints
{
    /// <summary>
    /// A silo's settings: <paramref name="expertSlots"/> CPU expert slots, checkpoints in <paramref name="container"/>, the store
    /// failing fast (the trainer does the waiting) and a claim left by an interrupted write expiring after 15 s.
    /// </summary>
    public static Dictionary<string, string?> Silo(AzuriteFixture azurite, string container, int expertSlots)
    {
        var settings = ExpertTestCluster.Accelerator(expertSlots);
        settings["MoeGrains:Checkpoints:Kind"] = "AzureBlob";
        settings["MoeGrains:Checkpoints:ConnectionString"] = azurite.ConnectionString;
        settings["MoeGrains:Checkpoints:ContainerName"] = container;
        settings["MoeGrains:Checkpoints:Retry:MaxRetries"] = "1";
        settings["MoeGrains:Checkpoints:Retry:Delay"] = "00:00:00.2";
        settings["MoeGrains:Checkpoints:WriterLeaseDuration"] = "00:00:15";
        return settings;
    }

    /// <summary>The store the silos write, read from this process.</summary>
    public static ICheckpointStore Store(AzuriteFixture azurite, string container) =>
        AzureBlobCheckpointStore.Create(new CheckpointStoreOptions { Kind = CheckpointStoreKind.AzureBlob, ConnectionString = azurite.ConnectionString, ContainerName = container });
}
