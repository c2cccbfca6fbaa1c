using static TorchSharp.torch;

namespace MoeGrains.Model.Routing;

/// <summary>
/// Executes a routing plan: gathers each expert's tokens, runs the expert, and scatters the weighted outputs back.
/// Positions no expert processed (dropped tokens) get zero, so the block keeps only its residual for them.
/// </summary>
/// <remarks>
/// All slices are gathered with one index_select and scattered with one index_add: per-expert gathers would make
/// the backward pass allocate and add a [T, d] gradient once per expert. <see cref="Gather"/> and
/// <see cref="Combine"/> are the two halves of <see cref="Execute"/>, for callers (the distributed router) that run
/// the experts elsewhere.
/// </remarks>
public static class PlanExecutor
{
    /// <summary>Runs <paramref name="runExpert"/> (expert index, its inputs [n, d] → outputs [n, d]) for every non-empty slice.</summary>
    /// <returns>The combined output [T, d].</returns>
    public static Tensor Execute(Tensor hidden, RoutingPlan plan, Func<int, Tensor, Tensor> runExpert)
    {
        using var scope = NewDisposeScope();
        var routed = Gather(hidden, plan);
        var outputs = routed.Slices.Select((slice, i) => runExpert(slice.Expert, routed.Inputs[i])).ToList();
        return Combine(hidden, routed, outputs).MoveToOuterDisposeScope();
    }

    /// <summary>Gathers the rows of <paramref name="hidden"/> [T, d] each non-empty slice of <paramref name="plan"/> routes to its expert.</summary>
    public static RoutedTokens Gather(Tensor hidden, RoutingPlan plan)
    {
        var routed = plan.Slices.Where(slice => slice.Count > 0).ToList();
        if (routed.Count == 0) return new RoutedTokens(routed, null, []);
        using var scope = NewDisposeScope();
        var index = cat(routed.Select(slice => slice.TokenIndex).ToList(), 0); // [N]
        var gathered = hidden.index_select(0, index); // [N, d]
        var inputs = gathered.split(routed.Select(slice => slice.Count).ToArray(), 0);
        return new RoutedTokens(routed, index, inputs).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Weights every expert's outputs [n_e, d] (in the order of <see cref="RoutedTokens.Slices"/>) by its slice's
    /// combine weights and adds them into a zero [T, d] tensor shaped like <paramref name="hidden"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The number of outputs differs from the number of routed slices.</exception>
    public static Tensor Combine(Tensor hidden, RoutedTokens routed, IReadOnlyList<Tensor> outputs)
    {
        if (outputs.Count != routed.Slices.Count)
            throw new ArgumentException($"Expected one output per routed expert ({routed.Slices.Count}), got {outputs.Count}.", nameof(outputs));
        if (routed.Slices.Count == 0) return zeros_like(hidden);
        using var scope = NewDisposeScope();
        var weights = cat(routed.Slices.Select(slice => slice.CombineWeight).ToList(), 0).unsqueeze(1); // [N, 1]
        var weighted = cat(outputs.ToList(), 0) * weights.to(hidden.dtype); // [N, d]
        // The alpha scalar is held in a local until after the native call: an implicit temporary is unreachable once its
        // handle is read, and a garbage collection during index_add could free it (seen as "unexpected tag in equal").
        using TorchSharp.Scalar alpha = 1;
        var combined = zeros_like(hidden).index_add(0, routed.Index!, weighted, alpha);
        GC.KeepAlive(alpha);
        return combined.MoveToOuterDisposeScope();
    }
}
