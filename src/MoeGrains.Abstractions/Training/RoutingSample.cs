namespace MoeGrains.Abstractions.Training;

/// <summary>What the MoE layers' routing did in one sampled training step.</summary>
/// <param name="Step">The step within its run (1-based).</param>
/// <param name="ExpertTokens">Tokens each expert processed, layer-major: index <c>layer * experts + expert</c>, layers in <see cref="TrainingHistory.MoeLayers"/> order.</param>
/// <param name="OverflowPercent">Per MoE layer: dropped assignments as a percentage of requested ones.</param>
[GenerateSerializer, Immutable, Alias("moe.RoutingSample")]
public sealed record RoutingSample(
    [property: Id(0)] long Step,
    [property: Id(1)] IReadOnlyList<long> ExpertTokens,
    [property: Id(2)] IReadOnlyList<double> OverflowPercent);
