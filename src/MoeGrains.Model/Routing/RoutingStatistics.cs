namespace MoeGrains.Model.Routing;

/// <summary>What one routing decision did, for the per-layer metrics.</summary>
/// <param name="Requested">Per expert: assignments requested before capacity dropping (for top-1 gates, tokens whose first choice is the expert).</param>
/// <param name="Processed">Per expert: tokens the expert actually processes after dropping.</param>
/// <param name="GateEntropy">Mean entropy (nats) of the gate's probability distribution over experts; 0 for fixed routing.</param>
public sealed record RoutingStatistics(long[] Requested, long[] Processed, double GateEntropy)
{
    /// <summary>Assignments that were requested but not processed.</summary>
    public long Dropped => Requested.Sum() - Processed.Sum();

    /// <summary>Dropped assignments as a percentage of requested ones.</summary>
    public double OverflowPercent => Requested.Sum() == 0 ? 0 : 100.0 * Dropped / Requested.Sum();
}
