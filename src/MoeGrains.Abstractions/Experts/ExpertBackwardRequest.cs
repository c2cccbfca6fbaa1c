using MoeGrains.Abstractions.Tensors;

namespace MoeGrains.Abstractions.Experts;

/// <summary>Output gradients for an expert's pending forward pass.</summary>
/// <param name="Step">The training step of that forward pass.</param>
/// <param name="GradOutputs">[n, d] gradients of the loss with respect to the expert's outputs.</param>
[GenerateSerializer, Immutable, Alias("moe.ExpertBackwardRequest")]
public sealed record ExpertBackwardRequest([property: Id(0)] long Step, [property: Id(1)] TensorPayload GradOutputs);
