namespace MoeGrains.Grains.Placement;

/// <summary>
/// Places an activation on the candidate silo with the fewest expert activations per device, preferring silos with a
/// free expert slot; ties go to the first silo in address order. See <see cref="LeastLoadedDevicePlacementDirector"/>.
/// </summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking]
[Alias("MoeGrains.Grains.Placement.LeastLoadedDevicePlacement")]
public sealed class LeastLoadedDevicePlacement : PlacementStrategy
{
    /// <summary>The shared instance.</summary>
    public static LeastLoadedDevicePlacement Singleton { get; } = new();
}
