namespace MoeGrains.Storage;

/// <summary>No dataset split is stored under the given name, domain and split.</summary>
public sealed class DatasetNotFoundException : CheckpointStoreException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="name">The dataset name.</param>
    /// <param name="domain">The domain.</param>
    /// <param name="split">The split.</param>
    public DatasetNotFoundException(string name, string domain, string split)
        : base($"Dataset '{name}' has no split '{split}' for domain '{domain}' (datasets/{name}/{domain}/{split}.txt).")
    {
        Name = name;
        Domain = domain;
        Split = split;
    }

    /// <summary>The dataset name.</summary>
    public string Name { get; }

    /// <summary>The domain.</summary>
    public string Domain { get; }

    /// <summary>The split.</summary>
    public string Split { get; }
}
