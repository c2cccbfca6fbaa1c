using System.Text.Json;

namespace MoeGrains.Storage;

/// <summary>What a writer adds to the manifest at commit, besides the blobs it uploaded.</summary>
/// <param name="Step">Training steps the weights have seen.</param>
/// <param name="ModelConfig">The model configuration as JSON (e.g. <c>JsonSerializer.SerializeToElement(config)</c>).</param>
public sealed record CheckpointCommit(long Step, JsonElement ModelConfig)
{
    /// <summary>The version this one was trained from, if any.</summary>
    public long? ParentVersion { get; init; }

    /// <summary>Free-form string metadata stored in the manifest.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
