using static TorchSharp.torch;

namespace MoeGrains.Model.Distributed;

/// <summary>A tensor addressed to (or returned by) one expert of a layer: its inputs, outputs or their gradients, [n, d].</summary>
/// <param name="Expert">Expert index within the layer.</param>
/// <param name="Values">float32 [n, d], one row per routed token.</param>
public readonly record struct ExpertTensor(int Expert, Tensor Values);
