namespace MoeGrains.Abstractions.Domains;

/// <summary>The cached priors of a mixture version, as stored in its manifest.</summary>
/// <param name="Version">The mixture version they belong to (a change of the expert set drops them).</param>
/// <param name="Experts">The experts, in mixture order.</param>
/// <param name="Priors">Target domain → expert → prior weight.</param>
/// <param name="Estimated">The domains estimated by this call; the others were already in the manifest and reused.</param>
[GenerateSerializer, Immutable, Alias("moe.DomainMixturePriors")]
public sealed record DomainMixturePriors(
    [property: Id(0)] int Version,
    [property: Id(1)] IReadOnlyList<string> Experts,
    [property: Id(2)] IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Priors,
    [property: Id(3)] IReadOnlyList<string> Estimated);
