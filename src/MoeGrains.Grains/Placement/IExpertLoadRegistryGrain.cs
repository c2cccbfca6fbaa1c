namespace MoeGrains.Grains.Placement;

/// <summary>
/// The cluster-wide count of expert activations per silo that <see cref="LeastLoadedDevicePlacementDirector"/> consults.
/// One activation (key 0) per cluster, held in memory: placements reserve, activations confirm, deactivations release.
/// </summary>
[Alias("MoeGrains.Grains.Placement.IExpertLoadRegistryGrain")]
public interface IExpertLoadRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Chooses the silo for <paramref name="grain"/> among <paramref name="candidates"/> that are not draining and reserves a slot
    /// there; throws <see cref="NoExpertSiloException"/> when every candidate is draining.
    /// </summary>
    [Alias("Place")]
    Task<SiloAddress> Place(GrainId grain, PlacementCandidate[] candidates);

    /// <summary>Records that <paramref name="grain"/> is active on <paramref name="silo"/> (however it got there).</summary>
    [Alias("Confirm")]
    Task Confirm(GrainId grain, SiloAddress silo);

    /// <summary>Forgets <paramref name="grain"/>'s activation on <paramref name="silo"/>.</summary>
    [Alias("Release")]
    Task Release(GrainId grain, SiloAddress silo);

    /// <summary>Marks <paramref name="silo"/> draining: <see cref="Place"/> no longer chooses it (until it leaves the cluster).</summary>
    [Alias("SetDraining")]
    Task SetDraining(SiloAddress silo);

    /// <summary>The silos being drained.</summary>
    [Alias("GetDraining")]
    Task<SiloAddress[]> GetDraining();

    /// <summary>The current number of expert activations per silo (silos with none are absent).</summary>
    [Alias("GetLoads")]
    Task<Dictionary<SiloAddress, int>> GetLoads();
}
