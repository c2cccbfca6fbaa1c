using MoeGrains.Storage.Layout;

namespace MoeGrains.Storage;

/// <content>Datasets: <c>datasets/{name}/{domain}/{split}.txt</c>.</content>
public abstract partial class CheckpointStore
{
    /// <inheritdoc />
    public Task UploadDatasetAsync(string name, string domain, string split, Stream content, CancellationToken cancellationToken = default)
    {
        ValidateDataset(name, domain, split);
        ArgumentNullException.ThrowIfNull(content);
        var path = CheckpointLayout.DatasetPath(name, domain, split);
        return CallAsync("dataset upload", path, ct => Backend.UploadAsync(path, content, ct), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListDatasetDomainsAsync(string name, CancellationToken cancellationToken = default)
    {
        StorageNames.Validate(name, "dataset", nameof(name));
        var prefix = CheckpointLayout.DatasetPrefix(name);
        var folders = await CallAsync("dataset listing", prefix, ct => Backend.ListFoldersAsync(prefix, ct), cancellationToken).ConfigureAwait(false);
        var domains = new List<string>();
        foreach (var folder in folders)
        {
            var files = await CallAsync("dataset listing", prefix + folder + "/", ct => Backend.ListFilesAsync(prefix + folder + "/", ct), cancellationToken)
                .ConfigureAwait(false);
            if (files.Any(f => f.EndsWith(".txt", StringComparison.Ordinal))) domains.Add(folder);
        }
        return domains;
    }

    /// <inheritdoc />
    public async Task<Stream> OpenDatasetAsync(string name, string domain, string split, CancellationToken cancellationToken = default)
    {
        ValidateDataset(name, domain, split);
        var path = CheckpointLayout.DatasetPath(name, domain, split);
        return await CallAsync("dataset open", path, ct => Backend.OpenReadAsync(path, ct), cancellationToken).ConfigureAwait(false)
            ?? throw new DatasetNotFoundException(name, domain, split);
    }

    private static void ValidateDataset(string name, string domain, string split)
    {
        StorageNames.Validate(name, "dataset", nameof(name));
        StorageNames.Validate(domain, "domain", nameof(domain));
        StorageNames.Validate(split, "split", nameof(split));
    }
}
