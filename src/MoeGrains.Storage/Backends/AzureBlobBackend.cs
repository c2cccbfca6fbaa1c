using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace MoeGrains.Storage.Backends;

/// <summary>The layout in one Azure blob container. Block blobs are committed atomically by the service, so readers never see half a blob.</summary>
internal sealed class AzureBlobBackend(BlobContainerClient container, StorageTransferOptions transfer, TimeSpan leaseDuration) : IStorageBackend
{
    private readonly SemaphoreSlim containerGate = new(1, 1);
    private volatile bool containerExists;

    public BlobContainerClient Container { get; } = container;

    public string Description => $"Azure container '{Container.Name}' at {Container.Uri}";

    public async Task UploadAsync(string path, Stream content, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        await Container.GetBlobClient(path).UploadAsync(content, new BlobUploadOptions { TransferOptions = transfer }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> TryCreateAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var options = new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } };
            await Container.GetBlobClient(path).UploadAsync(BinaryData.FromBytes(content), options, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    public async Task<bool> ExistsAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return (await Container.GetBlobClient(path).ExistsAsync(cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    public async Task<Stream?> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Container.GetBlobClient(path).DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return response.Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<bool> DownloadToAsync(string path, Stream destination, CancellationToken cancellationToken)
    {
        try
        {
            var options = new BlobDownloadToOptions { TransferOptions = transfer };
            await Container.GetBlobClient(path).DownloadToAsync(destination, options, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<string>> ListFoldersAsync(string prefix, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        try
        {
            await foreach (var item in Container.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, delimiter: "/", prefix: prefix, cancellationToken: cancellationToken).ConfigureAwait(false))
                if (item.IsPrefix) names.Add(item.Prefix[prefix.Length..].TrimEnd('/'));
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return [];
        }
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    public async Task<IReadOnlyList<string>> ListFilesAsync(string prefix, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        try
        {
            await foreach (var item in Container.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, delimiter: "/", prefix: prefix, cancellationToken: cancellationToken).ConfigureAwait(false))
                if (item.IsBlob && !item.Blob.Name[prefix.Length..].StartsWith('.')) names.Add(item.Blob.Name[prefix.Length..]);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return [];
        }
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    public async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await Container.GetBlobClient(path).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    public async Task<IWriterClaim?> TryClaimAsync(string path, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        return await AzureWriterClaim.TryAcquireAsync(Container.GetBlobClient(path), leaseDuration, cancellationToken).ConfigureAwait(false);
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (containerExists) return;
        await containerGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!containerExists)
            {
                await Container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                containerExists = true;
            }
        }
        finally
        {
            containerGate.Release();
        }
    }
}
