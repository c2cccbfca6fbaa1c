using MoeGrains.Client;
using MoeGrains.Cluster.Tests.Placement;
using Orleans.TestingHost;

namespace MoeGrains.Cluster.Tests.Equivalence;

/// <summary>
/// Three silos — one router/gateway silo without expert slots, two expert silos (one with two devices) — sharing a
/// local-folder checkpoint store, with the short sample corpus uploaded as dataset "sample".
/// </summary>
public sealed class ModelClusterFixture : IAsyncLifetime
{
    public string Root { get; } = Directory.CreateTempSubdirectory("moe-cluster-").FullName;

    public string StoreRoot => Path.Combine(Root, "store");

    public string CorpusFolder => Path.Combine(Root, "corpus");

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public MoeClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        TestCorpus.WriteShortValid(CorpusFolder);
        Cluster = await ExpertTestCluster.StartAsync(
            Silo(expertSlots: 0, devices: 1),
            Silo(expertSlots: 64, devices: 1),
            Silo(expertSlots: 64, devices: 2));
        Client = new MoeClient(Cluster.Client);
        await Client.UploadDatasetAsync("sample", CorpusFolder);
    }

    private Dictionary<string, string?> Silo(int expertSlots, int devices)
    {
        var settings = ExpertTestCluster.Accelerator(expertSlots, devices);
        settings["MoeGrains:Checkpoints:Kind"] = "Local";
        settings["MoeGrains:Checkpoints:LocalRoot"] = StoreRoot;
        return settings;
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}
