using static TorchSharp.torch;

namespace MoeGrains.Model.Routing;

/// <summary>
/// A gate's decision for a flattened batch of T tokens: which tokens each expert processes, with what combine
/// weight, and the auxiliary loss. The in-process MoE layer and the cluster's router both execute plans, so the
/// capacity and dropping semantics live only in the gates.
/// </summary>
/// <param name="Tokens">T, the number of routed positions.</param>
/// <param name="Slices">One slice per expert, indexed by expert (empty slices included).</param>
/// <param name="AuxLoss">Scalar load-balancing loss (unweighted), or null when the gate has none.</param>
/// <param name="Statistics">Counts and entropy for metrics.</param>
public sealed record RoutingPlan(long Tokens, IReadOnlyList<ExpertSlice> Slices, Tensor? AuxLoss, RoutingStatistics Statistics)
{
    /// <summary>Hands every tensor of the plan to the enclosing dispose scope, so the plan outlives the current one.</summary>
    public RoutingPlan MoveToOuterDisposeScope()
    {
        AuxLoss?.MoveToOuterDisposeScope();
        foreach (var slice in Slices)
        {
            slice.TokenIndex.MoveToOuterDisposeScope();
            slice.CombineWeight.MoveToOuterDisposeScope();
        }
        return this;
    }
}
