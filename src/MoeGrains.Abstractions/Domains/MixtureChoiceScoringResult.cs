using MoeGrains.Abstractions.Inference;

namespace MoeGrains.Abstractions.Domains;

/// <summary>Multiple-choice accuracy over a mixture of domain experts, on the mixture version the request pinned.</summary>
/// <param name="Version">The mixture version scored.</param>
/// <param name="Experts">Its experts, in mixture order.</param>
/// <param name="Priors">The prior each item domain was scored with, by expert (key "" for the uniform mixture; 0 for experts outside the top k).</param>
/// <param name="Methods">Accuracy, 95 % bootstrap interval and n of each method.</param>
[GenerateSerializer, Immutable, Alias("moe.MixtureChoiceScoringResult")]
public sealed record MixtureChoiceScoringResult(
    [property: Id(0)] int Version,
    [property: Id(1)] IReadOnlyList<string> Experts,
    [property: Id(2)] IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Priors,
    [property: Id(3)] IReadOnlyList<MethodAccuracyResult> Methods);
