using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace MoeGrains.Grains.Placement;

/// <summary>
/// Director for <see cref="LeastLoadedDevicePlacement"/>: takes the compatible silos (after placement filters such as
/// <see cref="ExpertSlotsFilterAttribute"/>), reads each one's devices and slots from silo metadata, and lets the
/// cluster's <see cref="IExpertLoadRegistryGrain"/> choose and reserve, so concurrent placements see each other.
/// </summary>
public sealed class LeastLoadedDevicePlacementDirector(ISiloMetadataCache metadata, IGrainFactory grainFactory) : IPlacementDirector
{
    /// <inheritdoc />
    public async Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var compatible = context.GetCompatibleSilos(target);
        // An explicit move (a drain, an operator's request) names its target silo; honour it when that silo can host experts.
        if (IPlacementDirector.GetPlacementHint(target.RequestContextData, compatible) is { } hinted)
            return hinted;

        var candidates = compatible
            .OrderBy(silo => silo)
            .Select(silo =>
            {
                var offer = SiloOffer.From(metadata.GetSiloMetadata(silo));
                return new PlacementCandidate(silo, offer.Devices, offer.ExpertSlots);
            })
            .ToArray();
        // Even a single candidate goes through the registry: it may be draining, and the registry knows.
        return await grainFactory.GetGrain<IExpertLoadRegistryGrain>(0).Place(target.GrainIdentity, candidates);
    }
}
