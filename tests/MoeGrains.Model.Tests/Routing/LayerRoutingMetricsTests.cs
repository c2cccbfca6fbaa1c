using MoeGrains.Model.Routing;

namespace MoeGrains.Model.Tests.Routing;

public class LayerRoutingMetricsTests
{
    [Fact]
    public void Computes_overflow_balance_and_unused_experts_for_five_experts()
    {
        // E = 5 → groups of ceil(5 / 5) = 1 expert. 20 requested, 18 processed.
        var stats = new RoutingStatistics([10, 5, 3, 2, 0], [8, 5, 3, 2, 0], GateEntropy: 1.25);
        var metrics = LayerRoutingMetrics.From(stats, auxLoss: 1.1);

        Assert.Equal(10.0, metrics.OverflowPercent, 10);
        Assert.Equal(1.25, metrics.GateEntropy);
        Assert.Equal(100.0 * 8 / 18, metrics.TopExpertsSharePercent, 10);
        Assert.Equal(0.0, metrics.BottomExpertsSharePercent, 10);
        Assert.Equal(1, metrics.UnusedExperts);
        Assert.Equal(1.1, metrics.AuxLoss);
        Assert.Equal([8L, 5, 3, 2, 0], metrics.ExpertTokens);
        Assert.Equal(2, metrics.DroppedTokens);
    }

    [Fact]
    public void Groups_are_a_fifth_of_the_experts_rounded_up()
    {
        // E = 6 → groups of 2; processed sorted: 9 6 4 3 2 1 (25 in all).
        var stats = new RoutingStatistics([4, 9, 1, 6, 2, 3], [4, 9, 1, 6, 2, 3], GateEntropy: 0);
        var metrics = LayerRoutingMetrics.From(stats, auxLoss: 0);

        Assert.Equal(0.0, metrics.OverflowPercent);
        Assert.Equal(60.0, metrics.TopExpertsSharePercent, 10);
        Assert.Equal(12.0, metrics.BottomExpertsSharePercent, 10);
        Assert.Equal(0, metrics.UnusedExperts);
    }

    [Fact]
    public void A_single_expert_is_both_groups_and_nothing_processed_gives_zero_shares()
    {
        var one = LayerRoutingMetrics.From(new RoutingStatistics([3], [3], 0), 0);
        Assert.Equal(100.0, one.TopExpertsSharePercent);
        Assert.Equal(100.0, one.BottomExpertsSharePercent);

        var none = LayerRoutingMetrics.From(new RoutingStatistics([2, 0], [0, 0], 0), 0);
        Assert.Equal(100.0, none.OverflowPercent);
        Assert.Equal(0.0, none.TopExpertsSharePercent);
        Assert.Equal(2, none.UnusedExperts);
    }
}
