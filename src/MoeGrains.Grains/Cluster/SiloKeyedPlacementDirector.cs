using Orleans.Runtime.Placement;

namespace MoeGrains.Grains.Cluster;

/// <summary>Director for <see cref="SiloKeyedPlacement"/>: the silo the key names, and no other (a silo that left refuses the call).</summary>
public sealed class SiloKeyedPlacementDirector : IPlacementDirector
{
    /// <inheritdoc />
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString();
        var silo = SiloAddress.FromParsableString(key);
        if (!context.GetCompatibleSilos(target).Contains(silo))
            throw new SiloUnavailableException($"Silo {silo} is not an active member of the cluster (any more).");
        return Task.FromResult(silo);
    }
}
