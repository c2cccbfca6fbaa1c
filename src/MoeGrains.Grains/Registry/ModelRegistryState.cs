namespace MoeGrains.Grains.Registry;

/// <summary>The registry's persisted names.</summary>
[GenerateSerializer, Alias("moe.ModelRegistryState")]
public sealed class ModelRegistryState
{
    /// <summary>Registered model names.</summary>
    [Id(0)] public HashSet<string> Models { get; set; } = new(StringComparer.Ordinal);
}
