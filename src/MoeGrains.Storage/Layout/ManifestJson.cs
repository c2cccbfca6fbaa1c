using System.Text.Json;
using System.Text.Json.Serialization;

namespace MoeGrains.Storage.Layout;

/// <summary>Reads and writes <c>manifest.json</c> (camelCase, indented).</summary>
internal static class ManifestJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static byte[] Serialize(CheckpointManifest manifest) => JsonSerializer.SerializeToUtf8Bytes(manifest, Options);

    /// <summary>Parses a manifest; throws <see cref="JsonException"/> if it is not one.</summary>
    public static CheckpointManifest Deserialize(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize<CheckpointManifest>(utf8, Options) ?? throw new JsonException("manifest.json holds null.");
}
