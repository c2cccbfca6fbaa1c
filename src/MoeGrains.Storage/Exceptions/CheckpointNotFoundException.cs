namespace MoeGrains.Storage;

/// <summary>The requested version is not committed, or the manifest lists no such blob.</summary>
public sealed class CheckpointNotFoundException : CheckpointStoreException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="model">The model name.</param>
    /// <param name="version">The version.</param>
    /// <param name="relativePath">The blob asked for, or null when the whole version is missing.</param>
    public CheckpointNotFoundException(string model, long version, string? relativePath = null)
        : base(relativePath is null
            ? $"Checkpoint '{model}' v{version} is not committed (no manifest.json)."
            : $"Checkpoint '{model}' v{version} has no blob '{relativePath}' in its manifest.")
    {
        Model = model;
        Version = version;
        RelativePath = relativePath;
    }

    /// <summary>The model name.</summary>
    public string Model { get; }

    /// <summary>The version.</summary>
    public long Version { get; }

    /// <summary>The blob asked for, or null when the whole version is missing.</summary>
    public string? RelativePath { get; }
}
