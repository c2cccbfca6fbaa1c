namespace MoeGrains.Abstractions.Domains;

/// <summary>A model's mixture of domain experts: its current version and every expert's state.</summary>
/// <param name="Version">The current mixture version (0: none committed yet).</param>
/// <param name="Experts">The active experts, in mixture order.</param>
/// <param name="Archived">Retired experts (kept, restorable).</param>
/// <param name="Training">The experts of the training started last, with their progress.</param>
[GenerateSerializer, Immutable, Alias("moe.DomainMixtureStatus")]
public sealed record DomainMixtureStatus(
    [property: Id(0)] int Version,
    [property: Id(1)] IReadOnlyList<string> Experts,
    [property: Id(2)] IReadOnlyList<string> Archived,
    [property: Id(3)] IReadOnlyList<DomainExpertStatus> Training);
