using Azure.Core;
using Azure.Identity;
using Azure.Storage;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MoeGrains.Storage.Backends;

namespace MoeGrains.Storage;

/// <summary>
/// The checkpoint store in an Azure Blob Storage container (or Azurite). Blobs upload in parallel blocks; the manifest is created
/// with <c>If-None-Match: *</c>; a writer's claim is a renewed lease on <c>.writer</c> in the version folder.
/// </summary>
public sealed class AzureBlobCheckpointStore : CheckpointStore
{
    /// <summary>Creates the store over an existing container client (its retry policy is the client's). The container is created on first write.</summary>
    /// <param name="container">The container.</param>
    /// <param name="options">Transfer settings and writer lease duration; defaults if null.</param>
    /// <param name="logger">Logger; none by default.</param>
    public AzureBlobCheckpointStore(BlobContainerClient container, CheckpointStoreOptions? options = null, ILogger<AzureBlobCheckpointStore>? logger = null)
        : base(CreateBackend(container, options ?? new CheckpointStoreOptions()), logger ?? NullLogger<AzureBlobCheckpointStore>.Instance)
    {
        Container = container;
    }

    /// <summary>The container.</summary>
    public BlobContainerClient Container { get; }

    /// <summary>Creates the store from options: a connection string, or an account/container URL with <c>DefaultAzureCredential</c>.</summary>
    /// <param name="options">Validated options with <see cref="CheckpointStoreOptions.Kind"/> = AzureBlob.</param>
    /// <param name="logger">Logger; none by default.</param>
    public static AzureBlobCheckpointStore Create(CheckpointStoreOptions options, ILogger<AzureBlobCheckpointStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        new CheckpointStoreOptionsValidator().ThrowIfInvalid(options);
        var clientOptions = ClientOptions(options.Retry);
        var container = options switch
        {
            { ConnectionString: { Length: > 0 } connection } => new BlobContainerClient(connection, options.ContainerName, clientOptions),
            { ContainerUri: { } uri } => new BlobContainerClient(uri, new DefaultAzureCredential(), clientOptions),
            { AccountUrl: { } account } => new BlobServiceClient(account, new DefaultAzureCredential(), clientOptions).GetBlobContainerClient(options.ContainerName),
            _ => throw new ArgumentException("The AzureBlob store needs a ConnectionString, AccountUrl or ContainerUri.", nameof(options)),
        };
        return new AzureBlobCheckpointStore(container, options, logger);
    }

    /// <summary>Blob client options carrying the store's retry settings (exponential back-off).</summary>
    /// <param name="retry">The retry settings.</param>
    public static BlobClientOptions ClientOptions(CheckpointStoreRetryOptions retry)
    {
        ArgumentNullException.ThrowIfNull(retry);
        var options = new BlobClientOptions();
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = retry.MaxRetries;
        options.Retry.Delay = retry.Delay;
        options.Retry.MaxDelay = retry.MaxDelay;
        options.Retry.NetworkTimeout = retry.NetworkTimeout;
        return options;
    }

    /// <summary>The SDK transfer settings the store uses for <paramref name="transfer"/>.</summary>
    /// <param name="transfer">Block size and concurrency.</param>
    public static StorageTransferOptions TransferOptions(CheckpointStoreTransferOptions transfer)
    {
        ArgumentNullException.ThrowIfNull(transfer);
        return new StorageTransferOptions
        {
            InitialTransferSize = transfer.BlockSizeBytes,
            MaximumTransferSize = transfer.BlockSizeBytes,
            MaximumConcurrency = transfer.MaxConcurrency,
        };
    }

    private static AzureBlobBackend CreateBackend(BlobContainerClient container, CheckpointStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(container);
        return new AzureBlobBackend(container, TransferOptions(options.Transfer), options.WriterLeaseDuration);
    }
}
