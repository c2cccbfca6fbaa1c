using MoeGrains.Abstractions.Tensors;

namespace MoeGrains.Abstractions.Experts;

/// <summary>Tokens routed to an expert for one step.</summary>
/// <param name="Step">Training step (or 0 for inference); the expert checks it matches its own.</param>
/// <param name="Inputs">[n, d] hidden states.</param>
/// <param name="Training">Keep the graph for a backward pass.</param>
[GenerateSerializer, Immutable, Alias("moe.ExpertForwardRequest")]
public sealed record ExpertForwardRequest([property: Id(0)] long Step, [property: Id(1)] TensorPayload Inputs, [property: Id(2)] bool Training);
