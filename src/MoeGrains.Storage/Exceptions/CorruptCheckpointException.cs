namespace MoeGrains.Storage;

/// <summary>A committed checkpoint's blob is missing or does not match the size and SHA-256 its manifest records, or the manifest is unreadable.</summary>
public sealed class CorruptCheckpointException : CheckpointStoreException
{
    /// <summary>Creates the exception for blobs that do not match the manifest.</summary>
    /// <param name="model">The model name.</param>
    /// <param name="version">The version.</param>
    /// <param name="mismatches">Every blob found wrong (at least one).</param>
    public CorruptCheckpointException(string model, long version, IReadOnlyList<BlobMismatch> mismatches)
        : base($"Checkpoint '{model}' v{version} is corrupt: {string.Join("; ", mismatches.Select(m => m.Describe()))}.")
    {
        Model = model;
        Version = version;
        Mismatches = mismatches;
    }

    /// <summary>Creates the exception for an unreadable manifest.</summary>
    /// <param name="model">The model name.</param>
    /// <param name="version">The version.</param>
    /// <param name="message">What is wrong.</param>
    /// <param name="inner">The parse error, if any.</param>
    public CorruptCheckpointException(string model, long version, string message, Exception? inner = null)
        : base($"Checkpoint '{model}' v{version} is corrupt: {message}", inner)
    {
        Model = model;
        Version = version;
        Mismatches = [];
    }

    /// <summary>The model name.</summary>
    public string Model { get; }

    /// <summary>The version.</summary>
    public long Version { get; }

    /// <summary>The blobs that do not match their manifest entries (empty when the manifest itself is bad).</summary>
    public IReadOnlyList<BlobMismatch> Mismatches { get; }
}
