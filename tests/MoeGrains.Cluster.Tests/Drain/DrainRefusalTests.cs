using Microsoft.Extensions.DependencyInjection;
using MoeGrains.Abstractions.Models;
using MoeGrains.Client;
using MoeGrains.Cluster.Tests.Placement;
using MoeGrains.Grains.Placement;
using Orleans.TestingHost;

namespace MoeGrains.Cluster.Tests.Drain;

/// <summary>A router silo and one expert silo; a second expert silo joins later.</summary>
public sealed class DrainRefusalTests : IAsyncLifetime
{
    private FileBackedCluster files = null!;

    private InProcessTestCluster Cluster => files.Cluster;
    private MoeClient client = null!;

    public async Task InitializeAsync()
    {
        files = await DrainCluster.StartAsync("moe-drain-refusal-", 2, 0, 64, 64);
        client = new MoeClient(Cluster.Client);
    }

    public async Task DisposeAsync() => await files.DisposeAsync();

    [Fact]
    public async Task Draining_the_only_expert_silo_is_refused_and_moves_nothing_then_a_joining_expert_silo_receives_new_experts_and_can_take_the_drain()
    {
        await client.CreateModelAsync("first", new ModelSpec("tiny", "switch", Seed: 2));
        var only = Cluster.Silos[1].SiloAddress.ToString();

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => client.DrainSiloAsync(only));
        Assert.Contains($"Cannot drain {only}: no other active expert silo", refused.Message);
        Assert.Contains("Nothing was moved", refused.Message);
        Assert.All(await client.ListExpertsAsync("first"), e => Assert.Equal(only, e.Silo));
        Assert.DoesNotContain(await client.ListSilosAsync(), s => s.Draining);
        Assert.Contains("No active silo has the address 'S10.0.0.1:1:1'",
            (await Assert.ThrowsAsync<ArgumentException>(() => client.DrainSiloAsync("S10.0.0.1:1:1"))).Message);

        var joined = await Cluster.StartAdditionalSiloAsync();
        await ExpertTestCluster.WaitForMetadataAsync(Cluster);
        await client.CreateModelAsync("second", new ModelSpec("tiny", "switch", Seed: 3));
        var second = await client.ListExpertsAsync("second");
        Assert.Contains(second, e => e.Silo == joined.SiloAddress.ToString());
        var listed = await client.ListSilosAsync();
        Assert.Equal(3, listed.Count);
        Assert.Equal(0, listed.Single(s => s.ExpertSlots == 0).ExpertsHosted);
        Assert.Equal("cpu", listed.Single(s => s.Address == joined.SiloAddress.ToString()).Accelerator);

        var drained = await client.DrainSiloAsync(only, timeout: TimeSpan.FromSeconds(30));
        Assert.True(drained.Completed);
        Assert.Equal(0, Cluster.Silos[1].SiloHost.Services.GetRequiredService<DeviceAllocator>().HeldCount);
        foreach (var model in new[] { "first", "second" })
            Assert.All(await client.ListExpertsAsync(model), e => Assert.Equal(joined.SiloAddress.ToString(), e.Silo));
    }
}
