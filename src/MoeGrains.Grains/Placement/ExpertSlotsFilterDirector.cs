using Microsoft.Extensions.Logging;
using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace MoeGrains.Grains.Placement;

/// <summary>
/// Keeps the silos whose metadata offers expert slots. Orleans itself answers an empty filter result with a
/// generic "No active nodes are compatible with grain …" error, so this director throws
/// <see cref="NoExpertSiloException"/> instead, naming every candidate and what it offers.
/// </summary>
/// <remarks>
/// Silo metadata reaches <see cref="ISiloMetadataCache"/> asynchronously after a silo joins; a silo whose metadata has
/// not arrived yet offers nothing here and is reported as such.
/// </remarks>
public sealed class ExpertSlotsFilterDirector(ISiloMetadataCache metadata, ILogger<ExpertSlotsFilterDirector> logger)
    : IPlacementFilterDirector
{
    /// <inheritdoc />
    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos)
    {
        var candidates = silos.Select(silo => (Silo: silo, Offer: SiloOffer.From(metadata.GetSiloMetadata(silo)))).ToList();
        var kept = candidates.Where(c => c.Offer.ExpertSlots > 0).Select(c => c.Silo).ToList();
        if (kept.Count > 0)
            return kept;

        var described = candidates.Count == 0
            ? "There are no active silos compatible with the grain."
            : "Candidates: " + string.Join("; ", candidates.Select(c => $"{c.Silo} ({c.Offer})")) + ".";
        logger.LogError("Cannot place {Grain}: no silo offers expert slots. {Candidates}", target.GrainIdentity, described);
        throw new NoExpertSiloException($"Cannot place {target.GrainIdentity}. {described}");
    }
}
