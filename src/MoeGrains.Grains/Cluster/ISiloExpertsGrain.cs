using MoeGrains.Grains.Placement;

namespace MoeGrains.Grains.Cluster;

/// <summary>
/// The expert activations of one silo, seen from that silo (key: its <see cref="SiloAddress.ToParsableString"/>, placed there by
/// <see cref="SiloKeyedPlacement"/>). Covers every grain that holds a device through <see cref="DeviceAllocator"/>.
/// </summary>
[Alias("MoeGrains.Grains.Cluster.ISiloExpertsGrain")]
public interface ISiloExpertsGrain : IGrainWithStringKey
{
    /// <summary>How many expert activations the silo hosts now.</summary>
    [Alias("Count")]
    Task<int> CountAsync();

    /// <summary>
    /// Starts moving every expert activation of the silo to one of <paramref name="targets"/> (chosen by the load registry, passed
    /// as a placement hint); each moves when idle and reloads its weights from the store on arrival. Returns how many were asked.
    /// </summary>
    [Alias("MoveAll")]
    Task<int> MoveAllAsync(PlacementCandidate[] targets);
}
