using MoeGrains.Cluster.Tests.Equivalence;
using MoeGrains.Cluster.Tests.Placement;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace MoeGrains.Cluster.Tests.Drain;

/// <summary>Silo settings for drain tests: a shared local store, grain state in files, drain on shutdown, quick failure detection.</summary>
internal sealed class DrainCluster(string root)
{
    public string Corpus { get; } = TestCorpus.WriteShortValid(Path.Combine(root, "corpus"));

    public Task<InProcessTestCluster> StartAsync(int initialSilos, params int[] expertSlots) =>
        ExpertTestCluster.StartAsync(FastFailureDetection, initialSilos, [.. expertSlots.Select(Silo)]);

    private Dictionary<string, string?> Silo(int expertSlots)
    {
        var settings = ExpertTestCluster.Accelerator(expertSlots);
        settings["MoeGrains:Checkpoints:Kind"] = "Local";
        settings["MoeGrains:Checkpoints:LocalRoot"] = Path.Combine(root, "store");
        settings["MoeGrains:Storage:Provider"] = "Files";
        settings["MoeGrains:Storage:Folder"] = Path.Combine(root, "grain-state");
        settings["MoeGrains:Silo:DrainOnShutdown"] = "true";
        return settings;
    }

    private static void FastFailureDetection(ISiloBuilder silo) => silo.Configure<ClusterMembershipOptions>(membership =>
    {
        membership.ProbeTimeout = TimeSpan.FromSeconds(1);
        membership.NumMissedProbesLimit = 2;
        membership.TableRefreshTimeout = TimeSpan.FromSeconds(1);
    });
}
