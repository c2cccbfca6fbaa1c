namespace MoeGrains.Model.Routing;

/// <summary>Per-layer routing health, as fairseq logs it for its MoE layers.</summary>
/// <param name="OverflowPercent">Dropped assignments as a percentage of requested ones.</param>
/// <param name="GateEntropy">Mean entropy (nats) of the gate's distribution over experts.</param>
/// <param name="TopExpertsSharePercent">Percentage of processed tokens handled by the 20% most used experts (at least one expert).</param>
/// <param name="BottomExpertsSharePercent">Percentage of processed tokens handled by the 20% least used experts (at least one expert).</param>
/// <param name="UnusedExperts">Experts that processed no token.</param>
/// <param name="AuxLoss">The (unweighted) load-balancing loss; 0 for gates without one.</param>
/// <param name="ExpertTokens">Tokens each expert processed after dropping, by expert index.</param>
/// <param name="DroppedTokens">Assignments dropped at capacity.</param>
public sealed record LayerRoutingMetrics(
    double OverflowPercent,
    double GateEntropy,
    double TopExpertsSharePercent,
    double BottomExpertsSharePercent,
    int UnusedExperts,
    double AuxLoss,
    IReadOnlyList<long> ExpertTokens,
    long DroppedTokens)
{
    /// <summary>
    /// Computes the metrics. The 20% group has ceil(E / 5) experts (integer arithmetic, so E = 15 gives 3, not 4),
    /// at least one; shares are 0 when nothing was processed.
    /// </summary>
    public static LayerRoutingMetrics From(RoutingStatistics stats, double auxLoss)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var processed = stats.Processed;
        var group = Math.Max(1, (processed.Length + 4) / 5);
        var sorted = processed.OrderDescending().ToArray();
        double total = processed.Sum();
        double Share(IEnumerable<long> counts) => total == 0 ? 0 : 100.0 * counts.Sum() / total;
        return new LayerRoutingMetrics(
            stats.OverflowPercent,
            stats.GateEntropy,
            Share(sorted.Take(group)),
            Share(sorted.TakeLast(group)),
            processed.Count(count => count == 0),
            auxLoss,
            [.. processed],
            stats.Dropped);
    }
}
