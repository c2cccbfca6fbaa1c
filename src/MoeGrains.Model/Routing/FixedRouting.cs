using TorchSharp;
using static TorchSharp.torch;

namespace MoeGrains.Model.Routing;

/// <summary>Shared pieces of the gates whose routing is a fixed function of ids (hash, domain).</summary>
internal static class FixedRouting
{
    /// <summary>The ids flattened to long [T]; throws when their count differs from the number of hidden rows.</summary>
    public static Tensor Ids(Tensor ids, Tensor hidden, string what)
    {
        if (ids.numel() != hidden.shape[0])
            throw new ArgumentException($"Expected one {what} id per routed position ({hidden.shape[0]}), got {ids.numel()}.");
        return ids.reshape(-1).to(ScalarType.Int64).to(hidden.device);
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first id outside [0, <paramref name="limit"/>).</summary>
    public static void CheckRange(Tensor ids, long limit, string what, string limitName)
    {
        using var scope = NewDisposeScope();
        var bad = ids.lt(0).logical_or(ids.ge(limit)); // [T]
        if (!bad.any().item<bool>()) return;
        var first = ids.masked_select(bad)[0].item<long>();
        throw new ArgumentException($"{what} id {first} is outside [0, {limit}) ({limitName} is {limit}).");
    }

    /// <summary>One expert per token, weight 1 (in the routing precision), nothing dropped, zero entropy.</summary>
    public static RoutingPlan Plan(DisposeScope scope, Tensor hidden, Tensor expert, int experts)
    {
        var keep = nn.functional.one_hot(expert, experts).to(ScalarType.Bool); // [T, E]
        var weights = keep.to(GateMath.ComputeType(hidden)); // [T, E]
        return RoutingPlanBuilder.Build(scope, keep, weights, auxLoss: null, requested: null, gateEntropy: 0);
    }
}
