using System.Text;
using MoeGrains.Abstractions.Datasets;
using MoeGrains.Storage;
using Orleans.Concurrency;

namespace MoeGrains.Grains.Datasets;

/// <summary>Writes uploaded corpus files into the checkpoint store, where any silo can read them.</summary>
[StatelessWorker]
public sealed class DatasetGrain(ICheckpointStore store) : Grain, IDatasetGrain
{
    private static readonly string[] Splits = ["train", "valid", "test"];

    /// <inheritdoc/>
    public async Task UploadAsync(string domain, string split, string text)
    {
        if (!Splits.Contains(split))
            throw new ArgumentException($"Unknown split '{split}'. Expected one of: {string.Join(", ", Splits)}.");
        if (string.IsNullOrWhiteSpace(text))
            throw new ArgumentException($"The {split} split of domain '{domain}' is empty.");
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(text));
        await store.UploadDatasetAsync(this.GetPrimaryKeyString(), domain, split, content);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> ListDomainsAsync() => store.ListDatasetDomainsAsync(this.GetPrimaryKeyString());
}
