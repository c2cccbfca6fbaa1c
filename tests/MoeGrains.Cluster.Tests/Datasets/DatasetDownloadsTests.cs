using MoeGrains.Cluster.Tests.Equivalence;
using MoeGrains.Grains.Datasets;
using MoeGrains.Storage;

namespace MoeGrains.Cluster.Tests.Datasets;

public sealed class DatasetDownloadsTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("moegrains-downloads-").FullName;

    [Fact]
    public async Task Opening_a_stored_dataset_loads_every_domain_and_leaves_no_scratch_folder_behind()
    {
        var store = CheckpointStoreFactory.Create(new CheckpointStoreOptions { Kind = CheckpointStoreKind.Local, LocalRoot = Path.Combine(root, "store") });
        var dataset = "downloads-" + Guid.NewGuid().ToString("N");
        var domains = Directory.GetDirectories(TestCorpus.SampleCorpus).Select(folder => Path.GetFileName(folder)!).Order(StringComparer.Ordinal).ToArray();
        foreach (var domain in domains)
        {
            await using var train = File.OpenRead(Path.Combine(TestCorpus.SampleCorpus, domain, "train.txt"));
            await store.UploadDatasetAsync(dataset, domain, "train", train);
        }

        for (var open = 0; open < 2; open++)
        {
            var corpus = await DatasetDownloads.OpenAsync(store, dataset);
            Assert.Equal(domains, corpus.Domains);
        }

        var scratch = Path.Combine(Path.GetTempPath(), "moegrains-datasets", dataset);
        Assert.False(Directory.Exists(scratch) && Directory.EnumerateFileSystemEntries(scratch).Any(),
            $"downloads left {string.Join(", ", Directory.Exists(scratch) ? Directory.EnumerateFileSystemEntries(scratch) : [])} behind");
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
