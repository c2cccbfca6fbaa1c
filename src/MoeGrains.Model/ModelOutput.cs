using MoeGrains.Model.Routing;
using static TorchSharp.torch;

namespace MoeGrains.Model;

/// <summary>What a forward pass of the language model produces.</summary>
/// <param name="Logits">[B, L, V] next-token logits.</param>
/// <param name="AuxLoss">Scalar sum of the MoE layers' load-balancing losses (unweighted); zero when none.</param>
/// <param name="Plans">The routing plan of every MoE layer, bottom to top (statistics and per-layer aux loss).</param>
public sealed record ModelOutput(Tensor Logits, Tensor AuxLoss, IReadOnlyList<RoutingPlan> Plans);
