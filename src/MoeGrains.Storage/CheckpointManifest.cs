using System.Text.Json;

namespace MoeGrains.Storage;

/// <summary>
/// The last file written for a checkpoint version (<c>manifest.json</c>, camelCase JSON). Its existence is what makes a version
/// committed; it lists every blob with size and SHA-256 so readers can verify what they load.
/// </summary>
public sealed record CheckpointManifest
{
    /// <summary>The manifest layout this library writes.</summary>
    public const int CurrentFormat = 1;

    /// <summary>The model's global name.</summary>
    public required string Model { get; init; }

    /// <summary>The checkpoint version (1, 2, ...).</summary>
    public required long Version { get; init; }

    /// <summary>Manifest layout version; readers refuse formats newer than <see cref="CurrentFormat"/>.</summary>
    public int Format { get; init; } = CurrentFormat;

    /// <summary>Training steps the weights have seen.</summary>
    public required long Step { get; init; }

    /// <summary>The model configuration as opaque JSON; the store does not interpret it.</summary>
    public required JsonElement ModelConfig { get; init; }

    /// <summary>Every blob of the checkpoint, ordered by path.</summary>
    public required IReadOnlyList<CheckpointBlob> Blobs { get; init; }

    /// <summary>When the checkpoint was committed.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The version this one was trained from, if any.</summary>
    public long? ParentVersion { get; init; }

    /// <summary>Free-form string metadata (e.g. a cached domain prior or the expert set).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>The blob recorded under <paramref name="relativePath"/>, or null.</summary>
    /// <param name="relativePath">Path relative to the version folder.</param>
    public CheckpointBlob? FindBlob(string relativePath) => Blobs.FirstOrDefault(b => string.Equals(b.Path, relativePath, StringComparison.Ordinal));
}
