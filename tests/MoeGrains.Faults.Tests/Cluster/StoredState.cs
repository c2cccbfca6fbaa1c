namespace MoeGrains.Faults.Tests.Cluster;

/// <summary>
/// What the cluster has stored, to compare before and after a bad request: the model list, every blob (name and ETag) in the
/// checkpoint and grain-state containers, and the served model's version, step and training state.
/// </summary>
public sealed record StoredState(IReadOnlyList<string> Models, IReadOnlyList<string> Blobs, string ServedModel)
{
    public bool SameAs(StoredState other) =>
        Models.SequenceEqual(other.Models) && Blobs.SequenceEqual(other.Blobs) && ServedModel == other.ServedModel;

    public string Difference(StoredState other) =>
        $"models [{string.Join(", ", Models)}] → [{string.Join(", ", other.Models)}]; " +
        $"blobs removed [{string.Join(", ", Blobs.Except(other.Blobs))}], added [{string.Join(", ", other.Blobs.Except(Blobs))}]; " +
        $"served model {ServedModel} → {other.ServedModel}";
}
