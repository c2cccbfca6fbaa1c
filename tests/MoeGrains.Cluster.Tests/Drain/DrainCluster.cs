using MoeGrains.Cluster.Tests.Placement;

namespace MoeGrains.Cluster.Tests.Drain;

/// <summary>Clusters for drain tests: <see cref="FileBackedCluster"/> whose silos drain when they shut down.</summary>
internal static class DrainCluster
{
    public static Task<FileBackedCluster> StartAsync(string prefix, int initialSilos, params int[] expertSlots) =>
        FileBackedCluster.StartAsync(prefix, initialSilos, expertSlots, new Dictionary<string, string?> { ["MoeGrains:Silo:DrainOnShutdown"] = "true" });
}
