using Microsoft.Extensions.Logging;
using MoeGrains.Grains.Placement;
using Orleans.Runtime.Placement;

namespace MoeGrains.Grains.Cluster;

/// <summary>Lives on the silo its key names and moves that silo's expert activations through their grain contexts (any expert grain type).</summary>
[SiloKeyedPlacement]
internal sealed class SiloExpertsGrain(DeviceAllocator devices, ILocalSiloDetails local, ILogger<SiloExpertsGrain> logger) : Grain, ISiloExpertsGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        if (!SiloAddress.FromParsableString(key).Equals(local.SiloAddress))
            throw new InvalidOperationException($"The experts agent for {key} was activated on {local.SiloAddress}.");
        return Task.CompletedTask;
    }

    public Task<int> CountAsync() => Task.FromResult(devices.HeldCount);

    public async Task<int> MoveAllAsync(PlacementCandidate[] targets)
    {
        var registry = GrainFactory.GetGrain<IExpertLoadRegistryGrain>(0);
        var activations = devices.HeldActivations();
        foreach (var activation in activations)
        {
            var target = await registry.Place(activation.GrainId, targets);
            logger.LogInformation("Draining {Silo}: {Grain} moves to {Target}", local.SiloAddress, activation.GrainId, target);
            activation.Migrate(new Dictionary<string, object> { [IPlacementDirector.PlacementHintKey] = target });
        }
        return activations.Count;
    }
}
