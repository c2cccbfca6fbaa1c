using MoeGrains.Model.Data;
using MoeGrains.Storage;

namespace MoeGrains.Grains.Datasets;

/// <summary>
/// Copies a dataset from the checkpoint store into a scratch folder, loads it as a <see cref="DomainCorpus"/> (which reads
/// every split into memory) and deletes the folder again, so repeated opens leave nothing behind on the silo's disk.
/// </summary>
internal static class DatasetDownloads
{
    public static async Task<DomainCorpus> OpenAsync(ICheckpointStore store, string dataset, CancellationToken cancellationToken = default)
    {
        var domains = await store.ListDatasetDomainsAsync(dataset, cancellationToken);
        if (domains.Count == 0) throw new ArgumentException($"Dataset '{dataset}' does not exist or has no domains: upload it first.");
        var folder = Path.Combine(Path.GetTempPath(), "moegrains-datasets", dataset, Guid.NewGuid().ToString("N"));
        try
        {
            await DownloadAsync(store, dataset, domains, folder, cancellationToken);
            return DomainCorpus.Load(folder);
        }
        finally
        {
            DeleteScratch(folder);
        }
    }

    private static async Task DownloadAsync(ICheckpointStore store, string dataset, IReadOnlyList<string> domains, string folder,
        CancellationToken cancellationToken)
    {
        foreach (var domain in domains)
        {
            Directory.CreateDirectory(Path.Combine(folder, domain));
            foreach (var split in new[] { "train", "valid", "test" })
            {
                try
                {
                    await using var source = await store.OpenDatasetAsync(dataset, domain, split, cancellationToken);
                    await using var target = File.Create(Path.Combine(folder, domain, split + ".txt"));
                    await source.CopyToAsync(target, cancellationToken);
                }
                catch (DatasetNotFoundException)
                {
                    // A split missing for a domain is skipped (the corpus logs it) when others exist.
                }
            }
        }
    }

    private static void DeleteScratch(string folder)
    {
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the corpus is already in memory, and a folder left behind only costs disk until the next reboot.
        }
    }
}
