namespace MoeGrains.Model.Routing;

/// <summary>Placeholder until the gates branch lands.</summary>
public sealed record LayerRoutingMetrics(double OverflowPercent, double GateEntropy, double AuxLoss)
{
    /// <summary>Placeholder.</summary>
    public static LayerRoutingMetrics From(RoutingStatistics statistics, double auxLoss) =>
        new(statistics.OverflowPercent, statistics.GateEntropy, auxLoss);
}
