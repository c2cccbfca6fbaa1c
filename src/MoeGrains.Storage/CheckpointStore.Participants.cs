using System.Diagnostics;
using System.Runtime.InteropServices;
using MoeGrains.Diagnostics;
using MoeGrains.Storage.Layout;
using MoeGrains.Storage.Streams;

namespace MoeGrains.Storage;

public abstract partial class CheckpointStore
{
    /// <inheritdoc/>
    public async Task<CheckpointBlob> PutBlobAsync(string model, long version, string relativePath, ReadOnlyMemory<byte> content,
        bool isOptimizerState = false, CancellationToken cancellationToken = default)
    {
        StorageNames.Validate(model, "model", nameof(model));
        StorageNames.ValidateVersion(version, nameof(version));
        CheckpointLayout.ValidateRelativePath(relativePath, nameof(relativePath));
        if (await IsCommittedAsync(model, version, cancellationToken).ConfigureAwait(false))
            throw Conflict(model, version, $"blob '{relativePath}' cannot be added: this version is already committed.");

        var path = CheckpointLayout.BlobPath(model, version, relativePath);
        var started = Stopwatch.GetTimestamp();
        var stream = MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
        await using (stream.ConfigureAwait(false))
        {
            using var hashing = new HashingReadStream(stream);
            await CallAsync("upload", path, ct => Backend.UploadAsync(path, hashing, ct), cancellationToken).ConfigureAwait(false);
            MoeMetrics.RecordCheckpointTransfer(CheckpointOperations.Save, hashing.Digest.Length, Stopwatch.GetElapsedTime(started));
            return new CheckpointBlob(relativePath, hashing.Digest.Length, hashing.Digest.HexHash(), isOptimizerState);
        }
    }
}
