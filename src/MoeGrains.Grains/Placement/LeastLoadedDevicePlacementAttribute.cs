using Orleans.Placement;

namespace MoeGrains.Grains.Placement;

/// <summary>Marks a grain class for <see cref="LeastLoadedDevicePlacement"/>. Combine with <see cref="ExpertSlotsFilterAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class LeastLoadedDevicePlacementAttribute() : PlacementAttribute(LeastLoadedDevicePlacement.Singleton);
