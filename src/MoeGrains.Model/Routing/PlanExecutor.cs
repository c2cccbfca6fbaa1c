using static TorchSharp.torch;

namespace MoeGrains.Model.Routing;

/// <summary>
/// Executes a routing plan: gathers each expert's tokens, runs the expert, and scatters the weighted outputs back.
/// Positions no expert processed (dropped tokens) get zero, so the block keeps only its residual for them.
/// </summary>
/// <remarks>
/// All slices are gathered with one index_select and scattered with one index_add: per-expert gathers would make
/// the backward pass allocate and add a [T, d] gradient once per expert.
/// </remarks>
public static class PlanExecutor
{
    /// <summary>Runs <paramref name="runExpert"/> (expert index, its inputs [n, d] → outputs [n, d]) for every non-empty slice.</summary>
    /// <returns>The combined output [T, d].</returns>
    public static Tensor Execute(Tensor hidden, RoutingPlan plan, Func<int, Tensor, Tensor> runExpert)
    {
        using var scope = NewDisposeScope();
        var routed = plan.Slices.Where(slice => slice.Count > 0).ToList();
        if (routed.Count == 0) return zeros_like(hidden).MoveToOuterDisposeScope();

        var index = cat(routed.Select(slice => slice.TokenIndex).ToList(), 0); // [N]
        var gathered = hidden.index_select(0, index); // [N, d]
        var inputs = gathered.split(routed.Select(slice => slice.Count).ToArray(), 0);
        var outputs = routed.Select((slice, i) => runExpert(slice.Expert, inputs[i])).ToList();
        var weights = cat(routed.Select(slice => slice.CombineWeight).ToList(), 0).unsqueeze(1); // [N, 1]
        var weighted = cat(outputs, 0) * weights.to(hidden.dtype); // [N, d]
        return zeros_like(hidden).index_add(0, index, weighted, 1).MoveToOuterDisposeScope();
    }
}
