using MoeGrains.Grains.Placement;
using Orleans.TestingHost;

namespace MoeGrains.Cluster.Tests.Placement;

/// <summary>A cluster of one router/gateway silo (ExpertSlots=0) and nothing else.</summary>
public sealed class NoExpertSiloTests : IAsyncLifetime
{
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ExpertTestCluster.StartAsync(ExpertTestCluster.Accelerator(expertSlots: 0));

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Activating_an_expert_fails_saying_no_silo_offers_expert_slots()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => _cluster.Client.GetGrain<IPlacementProbeGrain>(1).Where());

        Assert.IsType<NoExpertSiloException>(failure);
        Assert.StartsWith(NoExpertSiloException.Summary, failure.Message);
        Assert.Contains("expert-slots", failure.Message);
        Assert.Contains("0 expert slot(s)", failure.Message);
    }
}
