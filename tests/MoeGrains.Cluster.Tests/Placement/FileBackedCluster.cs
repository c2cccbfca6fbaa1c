using MoeGrains.Cluster.Tests.Equivalence;
using MoeGrains.Storage;
using Orleans.TestingHost;

namespace MoeGrains.Cluster.Tests.Placement;

/// <summary>
/// An in-process cluster for fault tests: what must outlive a killed silo is in files under a temporary root
/// (<see cref="ExpertTestCluster.FileBacked"/>), the sample corpus is written there, and a killed silo is declared dead
/// within seconds. Disposing stops the silos and deletes the root.
/// </summary>
internal sealed class FileBackedCluster : IAsyncDisposable
{
    private FileBackedCluster(string root, string corpus, InProcessTestCluster cluster) => (Root, Corpus, Cluster) = (root, corpus, cluster);

    /// <summary>The temporary folder holding the store, grain state and corpus.</summary>
    public string Root { get; }

    /// <summary>The sample corpus with a short validation split.</summary>
    public string Corpus { get; }

    /// <summary>The checkpoint store the silos write, read from this process.</summary>
    public ICheckpointStore Store() => new LocalFolderCheckpointStore(Path.Combine(Root, "store"));

    /// <summary>The silos.</summary>
    public InProcessTestCluster Cluster { get; }

    /// <summary>Starts the cluster.</summary>
    /// <param name="prefix">Names the temporary root.</param>
    /// <param name="initialSilos">Silos started now; the rest are configured for <c>StartAdditionalSiloAsync</c>.</param>
    /// <param name="expertSlots">Expert slots of each silo, in silo order.</param>
    /// <param name="extra">More settings for every silo.</param>
    public static async Task<FileBackedCluster> StartAsync(string prefix, int initialSilos, int[] expertSlots, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var root = Directory.CreateTempSubdirectory(prefix).FullName;
        try
        {
            var corpus = TestCorpus.WriteShortValid(Path.Combine(root, "corpus"));
            var silos = expertSlots.Select(slots =>
            {
                var settings = ExpertTestCluster.FileBacked(root, slots);
                foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) settings[key] = value;
                return settings;
            }).ToArray();
            return new FileBackedCluster(root, corpus, await ExpertTestCluster.StartAsync(ExpertTestCluster.FastFailureDetection, initialSilos, silos));
        }
        catch
        {
            Directory.Delete(root, recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}
