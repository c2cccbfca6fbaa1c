namespace MoeGrains.Storage;

/// <summary>
/// Versioned, hash-verified model checkpoints and text datasets in one layout (see <see cref="Layout.CheckpointLayout"/>).
/// A version exists once its <c>manifest.json</c> is committed; blobs without a manifest are never returned as a version.
/// Every read of a checkpoint blob is verified against the size and SHA-256 its manifest records.
/// </summary>
public interface ICheckpointStore
{
    /// <summary>
    /// Starts writing <paramref name="version"/> of <paramref name="model"/>. The writer holds an exclusive claim on the version
    /// until it commits, aborts or is disposed (a crashed writer's claim expires).
    /// </summary>
    /// <param name="model">The model's global name.</param>
    /// <param name="version">The version to write (1, 2, ...).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="CheckpointConflictException">The version is already committed or another writer is writing it.</exception>
    Task<CheckpointWriter> BeginCheckpointAsync(string model, long version, CancellationToken cancellationToken = default);

    /// <summary>The highest committed version of <paramref name="model"/>, or null if there is none.</summary>
    /// <param name="model">The model's global name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<long?> LatestVersionAsync(string model, CancellationToken cancellationToken = default);

    /// <summary>Every committed version of <paramref name="model"/>, ascending.</summary>
    /// <param name="model">The model's global name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<long>> ListVersionsAsync(string model, CancellationToken cancellationToken = default);

    /// <summary>The manifest of a committed version.</summary>
    /// <param name="model">The model's global name.</param>
    /// <param name="version">The version.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="CheckpointNotFoundException">The version is not committed.</exception>
    /// <exception cref="CorruptCheckpointException">The manifest cannot be read.</exception>
    Task<CheckpointManifest> ReadManifestAsync(string model, long version, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens a blob for streaming. The stream verifies as it goes: it throws <see cref="CorruptCheckpointException"/> as soon as it
    /// sees more bytes than recorded, and from the read that reaches the end if size or SHA-256 differ. Read it to the end.
    /// </summary>
    /// <param name="model">The model's global name.</param>
    /// <param name="version">The version.</param>
    /// <param name="relativePath">The blob's path in the version, e.g. <c>experts/0-3/weights.bin</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<Stream> OpenBlobAsync(string model, long version, string relativePath, CancellationToken cancellationToken = default);

    /// <summary>
    /// Copies a blob into <paramref name="destination"/> (fetching ranges in parallel on Azure) and verifies it before returning.
    /// On <see cref="CorruptCheckpointException"/> the destination has received bad bytes and must be discarded.
    /// </summary>
    /// <param name="model">The model's global name.</param>
    /// <param name="version">The version.</param>
    /// <param name="relativePath">The blob's path in the version.</param>
    /// <param name="destination">Where the bytes go, written in order.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task ReadBlobAsync(string model, long version, string relativePath, Stream destination, CancellationToken cancellationToken = default);

    /// <summary>Reads a whole (small) blob into memory; returns only verified bytes.</summary>
    /// <param name="model">The model's global name.</param>
    /// <param name="version">The version.</param>
    /// <param name="relativePath">The blob's path in the version.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<byte[]> ReadBlobAsync(string model, long version, string relativePath, CancellationToken cancellationToken = default);

    /// <summary>Reads every blob of a version and checks size and SHA-256; throws <see cref="CorruptCheckpointException"/> listing every bad blob.</summary>
    /// <param name="model">The model's global name.</param>
    /// <param name="version">The version.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task VerifyAsync(string model, long version, CancellationToken cancellationToken = default);

    /// <summary>Stores (or replaces) one split of one domain of a dataset at <c>datasets/{name}/{domain}/{split}.txt</c>.</summary>
    /// <param name="name">The dataset name.</param>
    /// <param name="domain">The domain.</param>
    /// <param name="split">The split, e.g. "train".</param>
    /// <param name="content">The text, read once to its end.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task UploadDatasetAsync(string name, string domain, string split, Stream content, CancellationToken cancellationToken = default);

    /// <summary>The domains that have at least one split stored, sorted.</summary>
    /// <param name="name">The dataset name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<string>> ListDatasetDomainsAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Opens one split for streaming.</summary>
    /// <param name="name">The dataset name.</param>
    /// <param name="domain">The domain.</param>
    /// <param name="split">The split.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="DatasetNotFoundException">Nothing is stored there.</exception>
    Task<Stream> OpenDatasetAsync(string name, string domain, string split, CancellationToken cancellationToken = default);

    /// <summary>
    /// Uploads one blob into an uncommitted version on behalf of that version's writer — for participants in other
    /// processes, such as expert grains writing their own weights. The writer adds the returned entry with
    /// <see cref="CheckpointWriter.Include"/> before it commits; a blob nobody includes is never part of a version.
    /// </summary>
    /// <exception cref="CheckpointConflictException">The version is already committed.</exception>
    Task<CheckpointBlob> PutBlobAsync(string model, long version, string relativePath, ReadOnlyMemory<byte> content,
        bool isOptimizerState = false, CancellationToken cancellationToken = default);
}
