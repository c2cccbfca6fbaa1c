namespace MoeGrains.Storage;

/// <summary>The storage backend failed (outage, timeout after retries, permissions); the message names the operation and the blob.</summary>
public sealed class StorageOperationException : CheckpointStoreException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="operation">What the store was doing, e.g. "upload".</param>
    /// <param name="blobPath">The blob or prefix it was doing it to.</param>
    /// <param name="backend">Which store (container or folder).</param>
    /// <param name="inner">The backend's error.</param>
    public StorageOperationException(string operation, string blobPath, string backend, Exception inner)
        : base($"Checkpoint store {operation} of '{blobPath}' failed ({backend}): {FirstLine(inner.Message)}", inner)
    {
        Operation = operation;
        BlobPath = blobPath;
    }

    /// <summary>What the store was doing, e.g. "upload".</summary>
    public string Operation { get; }

    /// <summary>The blob or prefix it was doing it to.</summary>
    public string BlobPath { get; }

    private static string FirstLine(string message)
    {
        var end = message.IndexOf('\n');
        return (end < 0 ? message : message[..end]).Trim();
    }
}
