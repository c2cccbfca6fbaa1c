using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using MoeGrains.Diagnostics;
using MoeGrains.Storage.Backends;
using MoeGrains.Storage.Layout;
using MoeGrains.Storage.Streams;

namespace MoeGrains.Storage;

/// <summary>
/// The checkpoint logic both backends share: layout, names, manifests, claims and verification. Subclasses only choose the
/// backend (<see cref="AzureBlobCheckpointStore"/>, <see cref="LocalFolderCheckpointStore"/>).
/// </summary>
public abstract partial class CheckpointStore : ICheckpointStore
{
    private const int VerifyParallelism = 4;
    private readonly ConcurrentDictionary<(string Model, long Version), CheckpointManifest> manifests = new();

    /// <summary>Manifest reads under way: the blobs of one version loaded at once (a router and its experts) share one read.</summary>
    private readonly ConcurrentDictionary<(string Model, long Version), Task<CheckpointManifest>> manifestReads = new();

    private protected CheckpointStore(IStorageBackend backend, ILogger logger)
    {
        Backend = backend;
        Logger = logger;
    }

    /// <summary>Where the data lives (container or folder), as messages name it.</summary>
    public string Description => Backend.Description;

    internal IStorageBackend Backend { get; }

    internal ILogger Logger { get; }

    /// <inheritdoc />
    public async Task<CheckpointWriter> BeginCheckpointAsync(string model, long version, CancellationToken cancellationToken = default)
    {
        StorageNames.Validate(model, "model", nameof(model));
        StorageNames.ValidateVersion(version, nameof(version));
        var claimPath = CheckpointLayout.WriterClaimPath(model, version);
        var claim = await CallAsync("claim", claimPath, ct => Backend.TryClaimAsync(claimPath, ct), cancellationToken).ConfigureAwait(false)
            ?? throw Conflict(model, version, "another writer is writing this version (its claim is held).");
        try
        {
            if (await IsCommittedAsync(model, version, cancellationToken).ConfigureAwait(false))
                throw Conflict(model, version, "this version is already committed (manifest.json exists).");
            return new CheckpointWriter(this, model, version, claim);
        }
        catch
        {
            await claim.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<long?> LatestVersionAsync(string model, CancellationToken cancellationToken = default)
    {
        StorageNames.Validate(model, "model", nameof(model));
        foreach (var version in (await CandidateVersionsAsync(model, cancellationToken).ConfigureAwait(false)).OrderDescending())
            if (await IsCommittedAsync(model, version, cancellationToken).ConfigureAwait(false))
                return version;
        return null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<long>> ListVersionsAsync(string model, CancellationToken cancellationToken = default)
    {
        StorageNames.Validate(model, "model", nameof(model));
        var candidates = await CandidateVersionsAsync(model, cancellationToken).ConfigureAwait(false);
        var committed = await Task.WhenAll(candidates.Select(v => IsCommittedAsync(model, v, cancellationToken))).ConfigureAwait(false);
        return [.. candidates.Where((_, i) => committed[i]).Order()];
    }

    /// <inheritdoc />
    public async Task<CheckpointManifest> ReadManifestAsync(string model, long version, CancellationToken cancellationToken = default)
    {
        StorageNames.Validate(model, "model", nameof(model));
        StorageNames.ValidateVersion(version, nameof(version));
        if (manifests.TryGetValue((model, version), out var cached)) return cached;

        var key = (model, version);
        var mine = new TaskCompletionSource<CheckpointManifest>(TaskCreationOptions.RunContinuationsAsynchronously);
        var read = manifestReads.GetOrAdd(key, mine.Task);
        if (read == mine.Task) _ = ShareManifestReadAsync(key, mine);
        return await read.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a manifest for every caller waiting on <paramref name="shared"/>, then forgets the read (a failure is not cached).</summary>
    private async Task ShareManifestReadAsync((string Model, long Version) key, TaskCompletionSource<CheckpointManifest> shared)
    {
        try
        {
            shared.SetResult(await FetchManifestAsync(key.Model, key.Version).ConfigureAwait(false));
        }
        catch (Exception e)
        {
            shared.SetException(e);
        }
        finally
        {
            manifestReads.TryRemove(KeyValuePair.Create(key, shared.Task));
        }
    }

    /// <summary>Reads and parses a manifest from storage (shared by concurrent readers, so no caller's cancellation applies).</summary>
    private async Task<CheckpointManifest> FetchManifestAsync(string model, long version)
    {
        var path = CheckpointLayout.ManifestPath(model, version);
        var bytes = await CallAsync("manifest read", path, async ct =>
        {
            var stream = await Backend.OpenReadAsync(path, ct).ConfigureAwait(false);
            if (stream is null) return null;
            await using (stream.ConfigureAwait(false))
            {
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, ct).ConfigureAwait(false);
                return buffer.ToArray();
            }
        }, CancellationToken.None).ConfigureAwait(false) ?? throw new CheckpointNotFoundException(model, version);

        var manifest = ParseManifest(model, version, bytes);
        return manifests.GetOrAdd((model, version), manifest);
    }

    /// <inheritdoc />
    public async Task<Stream> OpenBlobAsync(string model, long version, string relativePath, CancellationToken cancellationToken = default)
    {
        var (blob, path) = await FindBlobAsync(model, version, relativePath, cancellationToken).ConfigureAwait(false);
        var stream = await CallAsync("blob open", path, ct => Backend.OpenReadAsync(path, ct), cancellationToken).ConfigureAwait(false)
            ?? throw Corrupt(model, version, new BlobMismatch(blob.Path, blob.Size, null, blob.Sha256, null));
        return new VerifyingReadStream(stream, model, version, blob);
    }

    /// <inheritdoc />
    public async Task ReadBlobAsync(string model, long version, string relativePath, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var started = Stopwatch.GetTimestamp();
        var (blob, path) = await FindBlobAsync(model, version, relativePath, cancellationToken).ConfigureAwait(false);
        var mismatch = await DownloadAndCheckAsync(blob, path, destination, cancellationToken).ConfigureAwait(false);
        if (mismatch is not null) throw Corrupt(model, version, mismatch);
        MoeMetrics.RecordCheckpointTransfer(CheckpointOperations.Load, blob.Size, Stopwatch.GetElapsedTime(started));
    }

    /// <inheritdoc />
    public async Task<byte[]> ReadBlobAsync(string model, long version, string relativePath, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var (blob, path) = await FindBlobAsync(model, version, relativePath, cancellationToken).ConfigureAwait(false);
        if (blob.Size > Array.MaxLength)
            throw new InvalidOperationException($"Blob '{relativePath}' of '{model}' v{version} has {blob.Size} bytes, too many for one array; use OpenBlobAsync or ReadBlobAsync(..., Stream).");
        using var buffer = new MemoryStream((int)blob.Size);
        var mismatch = await DownloadAndCheckAsync(blob, path, buffer, cancellationToken).ConfigureAwait(false);
        if (mismatch is not null) throw Corrupt(model, version, mismatch);
        MoeMetrics.RecordCheckpointTransfer(CheckpointOperations.Load, blob.Size, Stopwatch.GetElapsedTime(started));
        return buffer.TryGetBuffer(out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length ? segment.Array : buffer.ToArray();
    }

    /// <inheritdoc />
    public async Task VerifyAsync(string model, long version, CancellationToken cancellationToken = default)
    {
        var manifest = await ReadManifestAsync(model, version, cancellationToken).ConfigureAwait(false);
        var mismatches = new ConcurrentBag<BlobMismatch>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = VerifyParallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(manifest.Blobs, parallel, async (blob, ct) =>
        {
            var path = CheckpointLayout.BlobPath(model, version, blob.Path);
            if (await DownloadAndCheckAsync(blob, path, Stream.Null, ct).ConfigureAwait(false) is { } mismatch) mismatches.Add(mismatch);
        }).ConfigureAwait(false);
        if (!mismatches.IsEmpty) throw Corrupt(model, version, [.. mismatches.OrderBy(m => m.Path, StringComparer.Ordinal)]);
    }

    internal static CheckpointConflictException Conflict(string model, long version, string reason) => new(model, version, reason);

    internal CheckpointConflictException LogConflict(CheckpointConflictException conflict, string reason)
    {
        Log.Conflict(Logger, conflict.Model, conflict.Version, reason);
        return conflict;
    }

    /// <summary>Runs a backend call; anything but cancellation and the store's own errors becomes a <see cref="StorageOperationException"/> naming the operation and path.</summary>
    internal async Task<T> CallAsync<T>(string operation, string path, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not CheckpointStoreException && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            throw new StorageOperationException(operation, path, Backend.Description, e);
        }
    }

    internal async Task CallAsync(string operation, string path, Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
        await CallAsync(operation, path, async ct =>
        {
            await call(ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);

    internal Task<bool> IsCommittedAsync(string model, long version, CancellationToken cancellationToken)
    {
        if (manifests.ContainsKey((model, version))) return Task.FromResult(true);
        var path = CheckpointLayout.ManifestPath(model, version);
        return CallAsync("manifest lookup", path, ct => Backend.ExistsAsync(path, ct), cancellationToken);
    }

    internal void Remember(CheckpointManifest manifest) => manifests.TryAdd((manifest.Model, manifest.Version), manifest);

    private async Task<IReadOnlyList<long>> CandidateVersionsAsync(string model, CancellationToken cancellationToken)
    {
        var prefix = CheckpointLayout.ModelPrefix(model);
        var folders = await CallAsync("version listing", prefix, ct => Backend.ListFoldersAsync(prefix, ct), cancellationToken).ConfigureAwait(false);
        var versions = new List<long>();
        foreach (var folder in folders)
            if (CheckpointLayout.TryParseVersionFolder(folder, out var version)) versions.Add(version);
        return versions;
    }

    private async Task<(CheckpointBlob Blob, string Path)> FindBlobAsync(string model, long version, string relativePath, CancellationToken cancellationToken)
    {
        CheckpointLayout.ValidateRelativePath(relativePath, nameof(relativePath));
        var manifest = await ReadManifestAsync(model, version, cancellationToken).ConfigureAwait(false);
        var blob = manifest.FindBlob(relativePath) ?? throw new CheckpointNotFoundException(model, version, relativePath);
        return (blob, CheckpointLayout.BlobPath(model, version, relativePath));
    }

    /// <summary>Downloads a blob through a hash into <paramref name="destination"/>; null if it matches its manifest entry.</summary>
    private async Task<BlobMismatch?> DownloadAndCheckAsync(CheckpointBlob blob, string path, Stream destination, CancellationToken cancellationToken)
    {
        using var hashing = new HashingWriteStream(destination);
        var found = await CallAsync("blob download", path, ct => Backend.DownloadToAsync(path, hashing, ct), cancellationToken).ConfigureAwait(false);
        if (!found) return new BlobMismatch(blob.Path, blob.Size, null, blob.Sha256, null);
        var hash = hashing.Digest.HexHash();
        return hashing.Digest.Length == blob.Size && string.Equals(hash, blob.Sha256, StringComparison.Ordinal)
            ? null
            : new BlobMismatch(blob.Path, blob.Size, hashing.Digest.Length, blob.Sha256, hash);
    }

    private CorruptCheckpointException Corrupt(string model, long version, params IReadOnlyList<BlobMismatch> mismatches)
    {
        var exception = new CorruptCheckpointException(model, version, mismatches);
        Log.Corrupt(Logger, exception.Message);
        return exception;
    }

    private static CheckpointManifest ParseManifest(string model, long version, byte[] bytes)
    {
        CheckpointManifest manifest;
        try
        {
            manifest = ManifestJson.Deserialize(bytes);
        }
        catch (JsonException e)
        {
            throw new CorruptCheckpointException(model, version, $"manifest.json is not a valid manifest ({e.Message}).", e);
        }
        if (manifest.Format > CheckpointManifest.CurrentFormat)
            throw new CorruptCheckpointException(model, version, $"manifest.json has format {manifest.Format}; this reader understands up to {CheckpointManifest.CurrentFormat}.");
        if (manifest.Model != model || manifest.Version != version)
            throw new CorruptCheckpointException(model, version, $"manifest.json describes '{manifest.Model}' v{manifest.Version}.");
        return manifest;
    }
}
