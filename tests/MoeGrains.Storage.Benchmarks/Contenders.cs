using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace MoeGrains.Storage.Benchmarks;

/// <summary>
/// The timed operations: store and raw SDK, save and load, over the same bytes, the same transfer settings and the same
/// concurrency — every blob of a checkpoint at once, as a model's router and expert grains save and load their own blobs.
/// </summary>
internal sealed class Contenders(string connectionString, CheckpointPayload payload)
{
    private readonly CheckpointStoreOptions options = new()
    {
        Kind = CheckpointStoreKind.AzureBlob,
        ConnectionString = connectionString,
        ContainerName = "bench-store",
    };

    private readonly BlobContainerClient raw = new(connectionString, "bench-raw", AzureBlobCheckpointStore.ClientOptions(new CheckpointStoreRetryOptions()));
    private long version;

    private string Model { get; } = $"bench-{(int)Math.Round(payload.MegaBytes * 1e6 / (1 << 20))}";

    private Azure.Storage.StorageTransferOptions Transfer => AzureBlobCheckpointStore.TransferOptions(options.Transfer);

    public async Task InitializeAsync() => await raw.CreateIfNotExistsAsync();

    private AzureBlobCheckpointStore? saver;

    public async Task StoreSaveAsync()
    {
        // One store for all saves, as a silo keeps its singleton.
        var store = saver ??= AzureBlobCheckpointStore.Create(options);
        version++;
        await using var writer = await store.BeginCheckpointAsync(Model, version);
        await Task.WhenAll(payload.Blobs.Select(b => writer.PutAsync(b.Path, new MemoryStream(b.Bytes, writable: false))));
        await writer.CommitAsync(new CheckpointCommit(version, System.Text.Json.JsonSerializer.SerializeToElement(new { bench = true })));
    }

    public async Task StoreLoadAsync()
    {
        // A fresh store, so the manifest is read from storage as a restarting silo would; every blob is asked for at once, as a
        // model's grains do when they activate (they share one manifest read).
        var store = AzureBlobCheckpointStore.Create(options);
        await Task.WhenAll(payload.Blobs.Select(blob => store.ReadBlobAsync(Model, version, blob.Path, Stream.Null)));
    }

    public async Task RawSaveAsync()
    {
        await Task.WhenAll(payload.Blobs.Select(b =>
            raw.GetBlobClient(b.Path).UploadAsync(new MemoryStream(b.Bytes, writable: false), new BlobUploadOptions { TransferOptions = Transfer })));
    }

    public async Task RawLoadAsync()
    {
        await Task.WhenAll(payload.Blobs.Select(b =>
            raw.GetBlobClient(b.Path).DownloadToAsync(Stream.Null, new BlobDownloadToOptions { TransferOptions = Transfer })));
    }

    /// <summary>
    /// The raw download again, with the bytes SHA-256-hashed as they arrive (what the store's verification adds, nothing else):
    /// separates the cost of hashing from the store's own overhead (manifest read, layout, checks).
    /// </summary>
    public async Task RawHashedLoadAsync()
    {
        await Task.WhenAll(payload.Blobs.Select(async b =>
        {
            await using var hashing = new Sha256Sink();
            await raw.GetBlobClient(b.Path).DownloadToAsync(hashing, new BlobDownloadToOptions { TransferOptions = Transfer });
            hashing.Finish();
        }));
    }

    /// <summary>Deletes the store's previous version so Azurite's disk use stays flat.</summary>
    public async Task TrimAsync()
    {
        var container = new BlobContainerClient(connectionString, options.ContainerName);
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"models/{Model}/v{version - 1}/", default))
            await container.DeleteBlobIfExistsAsync(blob.Name);
    }
}
