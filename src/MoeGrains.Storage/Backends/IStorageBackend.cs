namespace MoeGrains.Storage.Backends;

/// <summary>
/// The few primitives the checkpoint store needs from a blob container or a folder. Paths are '/'-separated and relative to the
/// container (or root folder). "Not found" is a return value; every other failure is thrown as the backend's own exception and
/// wrapped by the store into a <see cref="StorageOperationException"/>.
/// </summary>
internal interface IStorageBackend
{
    /// <summary>Where the data lives, for messages (e.g. "Azure container 'moegrains' at http://...").</summary>
    string Description { get; }

    /// <summary>Writes (or replaces) a blob from a stream read once to its end; readers never see a half-written blob.</summary>
    Task UploadAsync(string path, Stream content, CancellationToken cancellationToken);

    /// <summary>Creates a blob only if none exists at <paramref name="path"/>, atomically; false if one already exists.</summary>
    Task<bool> TryCreateAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string path, CancellationToken cancellationToken);

    /// <summary>Opens a blob for sequential reading; null if it does not exist.</summary>
    Task<Stream?> OpenReadAsync(string path, CancellationToken cancellationToken);

    /// <summary>Copies a blob into <paramref name="destination"/> in order (possibly fetching ranges in parallel); false if it does not exist.</summary>
    Task<bool> DownloadToAsync(string path, Stream destination, CancellationToken cancellationToken);

    /// <summary>The names of the immediate sub-folders of <paramref name="prefix"/> (which ends with '/').</summary>
    Task<IReadOnlyList<string>> ListFoldersAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>The names of the blobs directly inside <paramref name="prefix"/> (which ends with '/').</summary>
    Task<IReadOnlyList<string>> ListFilesAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Deletes a blob if it exists.</summary>
    Task DeleteAsync(string path, CancellationToken cancellationToken);

    /// <summary>Claims exclusive write access to a version through the blob at <paramref name="path"/>; null if another live writer holds it.</summary>
    Task<IWriterClaim?> TryClaimAsync(string path, CancellationToken cancellationToken);
}
