using Azure.Storage.Blobs;
using MoeGrains.Testing;

namespace MoeGrains.Storage.Tests;

/// <summary>A fresh, empty store of either kind (own temp folder or own container), with raw access that bypasses the store to damage it.</summary>
public sealed class TestStore : IAsyncDisposable
{
    private readonly string? folder;
    private readonly BlobContainerClient? container;

    private readonly Func<CheckpointStore> another;

    private TestStore(Func<CheckpointStore> create, string? folder, BlobContainerClient? container)
    {
        Store = create();
        another = create;
        this.folder = folder;
        this.container = container;
    }

    public CheckpointStore Store { get; }

    public static TestStore Create(StoreKind kind, AzuriteFixture azurite, Action<CheckpointStoreOptions>? configure = null)
    {
        var options = new CheckpointStoreOptions { Transfer = { BlockSizeBytes = 1 << 20, MaxConcurrency = 4 } };
        configure?.Invoke(options);
        if (kind == StoreKind.Local)
        {
            var root = Path.Combine(Path.GetTempPath(), $"moegrains-store-{Guid.NewGuid():N}");
            return new TestStore(() => new LocalFolderCheckpointStore(root), root, null);
        }
        options.Kind = CheckpointStoreKind.AzureBlob;
        options.ConnectionString = azurite.ConnectionString;
        options.ContainerName = $"t{Guid.NewGuid():N}";
        return new TestStore(() => AzureBlobCheckpointStore.Create(options), null, new BlobContainerClient(azurite.ConnectionString, options.ContainerName));
    }

    /// <summary>A second store over the same folder or container, as another process would open it (its own manifest cache).</summary>
    public CheckpointStore Another() => another();

    /// <summary>Replaces a stored blob's bytes directly (raw SDK or file API).</summary>
    public async Task OverwriteRawAsync(string path, byte[] bytes)
    {
        if (container is not null)
        {
            await container.CreateIfNotExistsAsync();
            await container.GetBlobClient(path).UploadAsync(BinaryData.FromBytes(bytes), overwrite: true);
        }
        else
        {
            var file = Path.Combine(folder!, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllBytesAsync(file, bytes);
        }
    }

    public async Task<byte[]> ReadRawAsync(string path)
    {
        if (container is not null) return (await container.GetBlobClient(path).DownloadContentAsync()).Value.Content.ToArray();
        return await File.ReadAllBytesAsync(Path.Combine(folder!, path));
    }

    public async Task<bool> ExistsRawAsync(string path) =>
        container is not null ? (await container.GetBlobClient(path).ExistsAsync()).Value : File.Exists(Path.Combine(folder!, path));

    public async Task DeleteRawAsync(string path)
    {
        if (container is not null) await container.GetBlobClient(path).DeleteAsync();
        else File.Delete(Path.Combine(folder!, path));
    }

    public async ValueTask DisposeAsync()
    {
        if (container is not null) await container.DeleteIfExistsAsync();
        if (folder is not null && Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }
}
