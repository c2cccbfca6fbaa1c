namespace MoeGrains.Storage;

/// <summary>Another writer holds or has already committed this model version; nothing committed was changed.</summary>
public sealed class CheckpointConflictException : CheckpointStoreException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="model">The model name.</param>
    /// <param name="version">The contested version.</param>
    /// <param name="reason">Why this writer lost.</param>
    public CheckpointConflictException(string model, long version, string reason)
        : base($"Checkpoint '{model}' v{version} conflicts with another writer: {reason}")
    {
        Model = model;
        Version = version;
    }

    /// <summary>The model name.</summary>
    public string Model { get; }

    /// <summary>The contested version.</summary>
    public long Version { get; }
}
