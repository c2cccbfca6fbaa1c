using TorchSharp;
using static TorchSharp.torch;

namespace MoeGrains.Model.Routing;

/// <summary>Turns a gate's dense decision (keep mask and combine weights, [T, E]) into per-expert slices.</summary>
internal static class RoutingPlanBuilder
{
    /// <summary>
    /// Builds the plan and moves every tensor it holds (slices, aux loss) out of <paramref name="scope"/>, the gate's
    /// dispose scope, so that they survive into the caller's scope.
    /// </summary>
    /// <param name="scope">The dispose scope the gate computed in.</param>
    /// <param name="keep">bool [T, E]: token t is processed by expert e (after dropping). At most one true per (t, e).</param>
    /// <param name="weights">Combine weights [T, E] (with gradient); read only where <paramref name="keep"/> is true.</param>
    /// <param name="auxLoss">Scalar load-balancing loss, or null.</param>
    /// <param name="requested">Per-expert assignments before dropping, long [E]; null means "equal to processed".</param>
    /// <param name="gateEntropy">Mean gate entropy (nats).</param>
    public static RoutingPlan Build(DisposeScope scope, Tensor keep, Tensor weights, Tensor? auxLoss, Tensor? requested,
        double gateEntropy)
    {
        var tokens = keep.shape[0];
        var processed = ToArray(keep.sum(dim: 0, type: ScalarType.Int64)); // [E]
        var byExpert = keep.t(); // [E, T]
        // nonzero lists (expert, token) pairs in row-major order: grouped by expert, tokens ascending.
        var tokenIndex = byExpert.nonzero().select(1, 1).contiguous(); // [K]
        var combineWeight = weights.t().masked_select(byExpert); // [K], same order
        var indexParts = tokenIndex.split(processed);
        var weightParts = combineWeight.split(processed);
        var slices = new ExpertSlice[processed.Length];
        for (var e = 0; e < slices.Length; e++)
        {
            slices[e] = new ExpertSlice(e, indexParts[e], weightParts[e]);
            scope.MoveToOuter(indexParts[e], weightParts[e]);
        }
        if (auxLoss is not null) scope.MoveToOuter(auxLoss);
        var statistics = new RoutingStatistics(requested is null ? [.. processed] : ToArray(requested), processed, gateEntropy);
        return new RoutingPlan(tokens, slices, auxLoss, statistics);
    }

    private static long[] ToArray(Tensor counts) => counts.to(ScalarType.Int64).cpu().data<long>().ToArray();
}
