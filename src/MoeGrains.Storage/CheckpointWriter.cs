using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using MoeGrains.Diagnostics;
using MoeGrains.Storage.Backends;
using MoeGrains.Storage.Layout;
using MoeGrains.Storage.Streams;

namespace MoeGrains.Storage;

/// <summary>
/// Writes one checkpoint version: <see cref="PutAsync(string, Stream, bool, CancellationToken)"/> each blob (hashed while it
/// uploads; several may run at once), then <see cref="CommitAsync"/>, which writes <c>manifest.json</c> last and only if no
/// manifest exists. Until then readers do not see the version. Blobs of a writer that never commits stay in storage (a later
/// writer of the same version replaces them) unless <see cref="AbortAsync"/> or <see cref="DisposeAsync"/> deletes them.
/// </summary>
public sealed class CheckpointWriter : IAsyncDisposable
{
    private readonly CheckpointStore store;
    private readonly IWriterClaim claim;
    private readonly ConcurrentDictionary<string, CheckpointBlob> blobs = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim finishing = new(1, 1);
    private State state;

    internal CheckpointWriter(CheckpointStore store, string model, long version, IWriterClaim claim)
    {
        this.store = store;
        this.claim = claim;
        Model = model;
        Version = version;
    }

    private enum State
    {
        Open,
        Committed,
        Aborted,
    }

    /// <summary>The model being written.</summary>
    public string Model { get; }

    /// <summary>The version being written.</summary>
    public long Version { get; }

    /// <summary>The blobs uploaded so far, ordered by path.</summary>
    public IReadOnlyList<CheckpointBlob> Blobs => [.. blobs.Values.OrderBy(b => b.Path, StringComparer.Ordinal)];

    /// <summary>Uploads one blob from a stream, read once to its end without buffering the whole of it; computes size and SHA-256 on the way.</summary>
    /// <param name="relativePath">Where it goes in the version: <see cref="CheckpointLayout.Router"/> or <see cref="CheckpointLayout.Expert"/>.</param>
    /// <param name="content">The bytes.</param>
    /// <param name="isOptimizerState">True for optimizer state, which inference does not need.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>The manifest entry.</returns>
    public async Task<CheckpointBlob> PutAsync(string relativePath, Stream content, bool isOptimizerState = false, CancellationToken cancellationToken = default)
    {
        CheckpointLayout.ValidateRelativePath(relativePath, nameof(relativePath));
        ArgumentNullException.ThrowIfNull(content);
        ThrowUnlessOpen();
        if (blobs.ContainsKey(relativePath))
            throw new ArgumentException($"Blob '{relativePath}' was already written to '{Model}' v{Version}.", nameof(relativePath));

        var path = CheckpointLayout.BlobPath(Model, Version, relativePath);
        var started = Stopwatch.GetTimestamp();
        using var hashing = new HashingReadStream(content);
        await store.CallAsync("upload", path, async ct =>
        {
            await store.Backend.UploadAsync(path, hashing, ct).ConfigureAwait(false);
            await hashing.FinishAsync(ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        var blob = new CheckpointBlob(relativePath, hashing.Digest.Length, hashing.Digest.HexHash(), isOptimizerState);
        MoeMetrics.RecordCheckpointTransfer(CheckpointOperations.Save, blob.Size, Stopwatch.GetElapsedTime(started));
        if (!blobs.TryAdd(relativePath, blob))
            throw new ArgumentException($"Blob '{relativePath}' was written twice at once to '{Model}' v{Version}.", nameof(relativePath));
        return blob;
    }

    /// <summary>Uploads one blob from memory.</summary>
    /// <param name="relativePath">Where it goes in the version.</param>
    /// <param name="content">The bytes.</param>
    /// <param name="isOptimizerState">True for optimizer state.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>The manifest entry.</returns>
    public async Task<CheckpointBlob> PutAsync(string relativePath, ReadOnlyMemory<byte> content, bool isOptimizerState = false, CancellationToken cancellationToken = default)
    {
        var stream = MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
        await using (stream.ConfigureAwait(false))
            return await PutAsync(relativePath, stream, isOptimizerState, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds a blob a participant uploaded with <see cref="ICheckpointStore.PutBlobAsync"/> to this version's manifest.</summary>
    /// <exception cref="ArgumentException">The path is invalid or already part of the version.</exception>
    public void Include(CheckpointBlob blob)
    {
        ArgumentNullException.ThrowIfNull(blob);
        CheckpointLayout.ValidateRelativePath(blob.Path, nameof(blob));
        ThrowUnlessOpen();
        if (!blobs.TryAdd(blob.Path, blob))
            throw new ArgumentException($"Blob '{blob.Path}' is already part of '{Model}' v{Version}.", nameof(blob));
    }

    /// <summary>
    /// Commits the version by creating <c>manifest.json</c> only if none exists. On <see cref="CheckpointConflictException"/>
    /// another writer committed first (or took over this writer's expired claim) and nothing committed was changed.
    /// </summary>
    /// <param name="details">Step, model configuration, parent version and metadata.</param>
    /// <param name="cancellationToken">Cancels the commit (before the manifest is written).</param>
    /// <returns>The committed manifest.</returns>
    public async Task<CheckpointManifest> CommitAsync(CheckpointCommit details, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(details);
        if (details.ModelConfig.ValueKind == System.Text.Json.JsonValueKind.Undefined)
            throw new ArgumentException("The commit needs the model configuration as JSON (ModelConfig is undefined).", nameof(details));
        if (details.ParentVersion is { } parent && (parent < 1 || parent >= Version))
            throw new ArgumentOutOfRangeException(nameof(details), parent, $"Parent version {parent} must be between 1 and {Version - 1}.");

        await finishing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowUnlessOpen();
            if (blobs.IsEmpty) throw new InvalidOperationException($"Checkpoint '{Model}' v{Version} has no blobs to commit.");
            var manifest = new CheckpointManifest
            {
                Model = Model,
                Version = Version,
                Step = details.Step,
                ModelConfig = details.ModelConfig.Clone(),
                Blobs = Blobs,
                CreatedAt = DateTimeOffset.UtcNow,
                ParentVersion = details.ParentVersion,
                Metadata = new Dictionary<string, string>(details.Metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal),
            };
            var path = CheckpointLayout.ManifestPath(Model, Version);
            if (!await store.CallAsync("claim renewal", CheckpointLayout.WriterClaimPath(Model, Version), claim.ConfirmAsync, cancellationToken).ConfigureAwait(false))
                throw await LoseAsync("this writer's claim expired and may have been taken over; nothing was committed.").ConfigureAwait(false);
            var bytes = ManifestJson.Serialize(manifest);
            if (!await store.CallAsync("commit", path, ct => store.Backend.TryCreateAsync(path, bytes, ct), cancellationToken).ConfigureAwait(false))
                throw await LoseAsync("manifest.json already exists: another writer committed this version first.").ConfigureAwait(false);

            state = State.Committed;
            store.Remember(manifest);
            Log.Committed(store.Logger, Model, Version, manifest.Blobs.Count, manifest.Blobs.Sum(b => b.Size), store.Description);
            await claim.DisposeAsync().ConfigureAwait(false);
            return manifest;
        }
        finally
        {
            finishing.Release();
        }
    }

    /// <summary>
    /// Gives the version up: deletes the blobs this writer uploaded (best effort, failures are logged) and releases the claim.
    /// Deletes nothing if the claim was lost or the version got committed meanwhile (the blobs may be another writer's now).
    /// Does nothing after a commit.
    /// </summary>
    /// <param name="cancellationToken">Cancels the deletes.</param>
    public async Task AbortAsync(CancellationToken cancellationToken = default)
    {
        await finishing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (state != State.Open) return;
            state = State.Aborted;
            var deleted = 0;
            var mayDelete = await MayDeleteAsync(cancellationToken).ConfigureAwait(false);
            foreach (var blob in mayDelete ? blobs.Values : [])
            {
                var path = CheckpointLayout.BlobPath(Model, Version, blob.Path);
                try
                {
                    await store.Backend.DeleteAsync(path, cancellationToken).ConfigureAwait(false);
                    deleted++;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.AbortDeleteFailed(store.Logger, e, path);
                }
            }
            Log.Aborted(store.Logger, Model, Version, deleted, blobs.Count);
            await claim.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            finishing.Release();
        }
    }

    /// <summary>Aborts if not committed (see <see cref="AbortAsync"/>).</summary>
    public async ValueTask DisposeAsync() => await AbortAsync().ConfigureAwait(false);

    private async Task<bool> MayDeleteAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await claim.ConfirmAsync(cancellationToken).ConfigureAwait(false)
                && !await store.Backend.ExistsAsync(CheckpointLayout.ManifestPath(Model, Version), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.AbortDeleteFailed(store.Logger, e, CheckpointLayout.VersionPrefix(Model, Version));
            return false;
        }
    }

    /// <summary>Marks the writer as lost (its blobs stay: they may be the winner's) and releases the claim.</summary>
    private async Task<CheckpointConflictException> LoseAsync(string reason)
    {
        state = State.Aborted;
        await claim.DisposeAsync().ConfigureAwait(false);
        return Conflict(reason);
    }

    private void ThrowUnlessOpen()
    {
        if (state != State.Open)
            throw new InvalidOperationException($"The writer of '{Model}' v{Version} is {state.ToString().ToLowerInvariant()}; begin a new one.");
    }

    private CheckpointConflictException Conflict(string reason) => store.LogConflict(CheckpointStore.Conflict(Model, Version, reason), reason);
}
