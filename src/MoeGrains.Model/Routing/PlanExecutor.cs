using static TorchSharp.torch;

namespace MoeGrains.Model.Routing;

/// <summary>
/// Executes a routing plan: gathers each expert's tokens, runs the expert, and scatters the weighted outputs back.
/// Positions no expert processed (dropped tokens) get zero, so the block keeps only its residual for them.
/// </summary>
public static class PlanExecutor
{
    /// <summary>Runs <paramref name="runExpert"/> (expert index, its inputs [n, d] → outputs [n, d]) for every non-empty slice.</summary>
    /// <returns>The combined output [T, d].</returns>
    public static Tensor Execute(Tensor hidden, RoutingPlan plan, Func<int, Tensor, Tensor> runExpert)
    {
        var output = zeros_like(hidden);
        foreach (var slice in plan.Slices)
        {
            if (slice.Count == 0) continue;
            using var inputs = hidden.index_select(0, slice.TokenIndex);
            using var expertOutput = runExpert(slice.Expert, inputs);
            using var weighted = expertOutput * slice.CombineWeight.unsqueeze(1).to(expertOutput.dtype);
            var next = output.index_add(0, slice.TokenIndex, weighted, 1);
            output.Dispose();
            output = next;
        }
        return output;
    }
}
