namespace MoeGrains.Abstractions.Training;

/// <summary>The training runs of a model: losses per run and sampled per-expert routing, for reports.</summary>
/// <param name="Model">The model.</param>
/// <param name="MoeLayers">Transformer block indices of the MoE layers, bottom to top.</param>
/// <param name="Experts">Experts per MoE layer.</param>
/// <param name="Runs">Runs, oldest first (at most the latest <c>RouterHistory.MaxRuns</c>).</param>
[GenerateSerializer, Immutable, Alias("moe.TrainingHistory")]
public sealed record TrainingHistory(
    [property: Id(0)] string Model,
    [property: Id(1)] IReadOnlyList<int> MoeLayers,
    [property: Id(2)] int Experts,
    [property: Id(3)] IReadOnlyList<RunHistory> Runs);
