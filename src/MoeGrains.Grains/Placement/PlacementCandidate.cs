namespace MoeGrains.Grains.Placement;

/// <summary>A silo an expert may be placed on, with what it offers.</summary>
/// <param name="Silo">The silo.</param>
/// <param name="Devices">Its device count (at least 1).</param>
/// <param name="ExpertSlots">Its expert slots.</param>
[GenerateSerializer, Immutable]
[Alias("MoeGrains.Grains.Placement.PlacementCandidate")]
public sealed record PlacementCandidate(
    [property: Id(0)] SiloAddress Silo,
    [property: Id(1)] int Devices,
    [property: Id(2)] int ExpertSlots);
