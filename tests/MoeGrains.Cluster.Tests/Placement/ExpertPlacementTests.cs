using Microsoft.Extensions.DependencyInjection;
using MoeGrains.Grains.Placement;
using Orleans.TestingHost;

namespace MoeGrains.Cluster.Tests.Placement;

/// <summary>A router/gateway silo without slots, an expert silo with one device and one with two.</summary>
public sealed class ExpertPlacementTests : IAsyncLifetime
{
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ExpertTestCluster.StartAsync(
        ExpertTestCluster.Accelerator(expertSlots: 0),
        ExpertTestCluster.Accelerator(expertSlots: 16, devices: 1),
        ExpertTestCluster.Accelerator(expertSlots: 16, devices: 2));

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Twelve_experts_land_only_on_expert_silos_evenly_per_device()
    {
        var reports = await Task.WhenAll(Enumerable.Range(0, 12)
            .Select(key => _cluster.Client.GetGrain<IPlacementProbeGrain>(key).Where()));

        var gateway = _cluster.Silos[0].SiloAddress;
        var oneDevice = _cluster.Silos[1].SiloAddress;
        var twoDevices = _cluster.Silos[2].SiloAddress;
        var perSilo = reports.GroupBy(r => r.Silo).ToDictionary(g => g.Key, g => g.Count());

        // Fewest activations per device: 12 experts over 1 + 2 devices is 4 per device.
        Assert.False(perSilo.ContainsKey(gateway), "An expert was placed on the silo with ExpertSlots=0.");
        Assert.Equal(4, perSilo.GetValueOrDefault(oneDevice));
        Assert.Equal(8, perSilo.GetValueOrDefault(twoDevices));

        Assert.Equal([4], Loads(1));
        Assert.Equal([4, 4], Loads(2));
        Assert.Equal([0], Loads(0));
        Assert.All(reports, r => Assert.Equal("cpu", r.Device.Device));
        Assert.Equal([0, 1], reports.Where(r => r.Silo.Equals(twoDevices)).Select(r => r.Device.Index).Distinct().Order());

        var registry = await _cluster.Client.GetGrain<IExpertLoadRegistryGrain>(0).GetLoads();
        Assert.Equal(4, registry[oneDevice]);
        Assert.Equal(8, registry[twoDevices]);
    }

    [Fact]
    public async Task A_deactivated_expert_gives_back_its_device_and_its_slot()
    {
        var grain = _cluster.Client.GetGrain<IPlacementProbeGrain>(100);
        var report = await grain.Where();
        var silo = _cluster.Silos.Single(s => s.SiloAddress.Equals(report.Silo));
        var allocator = silo.SiloHost.Services.GetRequiredService<DeviceAllocator>();
        Assert.Equal(1, allocator.GetLoads().Sum(l => l.Activations));

        await _cluster.DeactivateAsync(grain);

        Assert.Equal(0, allocator.GetLoads().Sum(l => l.Activations));
        var registry = await _cluster.Client.GetGrain<IExpertLoadRegistryGrain>(0).GetLoads();
        Assert.False(registry.ContainsKey(report.Silo));
    }

    private int[] Loads(int silo) => _cluster.Silos[silo].SiloHost.Services
        .GetRequiredService<DeviceAllocator>().GetLoads().Select(l => l.Activations).ToArray();
}
