using MoeGrains.Grains.Placement;

namespace MoeGrains.Cluster.Tests.Placement;

/// <summary>Placed like an expert; holds a device from the silo's allocator for its life.</summary>
[ExpertSlotsFilter]
[LeastLoadedDevicePlacement]
public sealed class PlacementProbeGrain(DeviceAllocator allocator, ILocalSiloDetails silo) : Grain, IPlacementProbeGrain
{
    private DeviceAssignment? _device;

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _device = await allocator.AcquireAsync(this.GetGrainId());

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        allocator.ReleaseAsync(this.GetGrainId());

    public Task<ProbeReport> Where() => Task.FromResult(new ProbeReport(silo.SiloAddress, _device!));
}
