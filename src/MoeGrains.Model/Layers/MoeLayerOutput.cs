using MoeGrains.Model.Routing;
using static TorchSharp.torch;

namespace MoeGrains.Model.Layers;

/// <summary>The output of a MoE feed-forward layer and the routing decision that produced it.</summary>
/// <param name="Output">Combined expert outputs [T, d].</param>
/// <param name="Plan">The gate's routing plan (aux loss and statistics included).</param>
public sealed record MoeLayerOutput(Tensor Output, RoutingPlan Plan);
