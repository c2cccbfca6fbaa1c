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
        ExpertTestCluster.StartAsync(ExpertTestCluster.FastFailureDetection, initialSilos, [.. expertSlots.Select(Silo)]);

    private Dictionary<string, string?> Silo(int expertSlots)
    {
        var settings = ExpertTestCluster.FileBacked(root, expertSlots);
        settings["MoeGrains:Silo:DrainOnShutdown"] = "true";
        return settings;
    }
}
