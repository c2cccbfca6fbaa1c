namespace MoeGrains.Abstractions.Experts;

/// <summary>The optimizer step every expert applies at the end of a training step.</summary>
/// <param name="Step">The step being completed (1-based after completion).</param>
/// <param name="LearningRate">Learning rate of this step (the router's schedule).</param>
/// <param name="ClipScale">Global gradient-clipping factor, 1 when no clipping is needed.</param>
[GenerateSerializer, Immutable, Alias("moe.ExpertStepUpdate")]
public sealed record ExpertStepUpdate([property: Id(0)] long Step, [property: Id(1)] double LearningRate, [property: Id(2)] double ClipScale);
