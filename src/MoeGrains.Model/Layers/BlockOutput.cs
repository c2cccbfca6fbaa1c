using MoeGrains.Model.Routing;
using static TorchSharp.torch;

namespace MoeGrains.Model.Layers;

/// <summary>The residual stream after a transformer block and, for MoE blocks, the routing plan.</summary>
/// <param name="Hidden">[B, L, d].</param>
/// <param name="Plan">The MoE layer's routing plan, or null for a dense block.</param>
public sealed record BlockOutput(Tensor Hidden, RoutingPlan? Plan);
