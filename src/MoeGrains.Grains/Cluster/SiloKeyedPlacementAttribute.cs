using Orleans.Placement;

namespace MoeGrains.Grains.Cluster;

/// <summary>Marks a grain class for <see cref="SiloKeyedPlacement"/>: its string key names the silo it must live on.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloKeyedPlacementAttribute() : PlacementAttribute(SiloKeyedPlacement.Singleton);
