namespace MoeGrains.Grains.Cluster;

/// <summary>Places a grain keyed by a silo address (<see cref="SiloAddress.ToParsableString"/>) on exactly that silo.</summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking]
[Alias("MoeGrains.Grains.Cluster.SiloKeyedPlacement")]
public sealed class SiloKeyedPlacement : PlacementStrategy
{
    /// <summary>The shared instance.</summary>
    public static SiloKeyedPlacement Singleton { get; } = new();
}
