using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MoeGrains.Abstractions.Cluster;
using MoeGrains.Grains.Placement;

namespace MoeGrains.Grains.Cluster;

/// <summary>
/// With <see cref="SiloDrainOptions.DrainOnShutdown"/>, the first thing a stopping silo does (the <c>Active</c> stage stops
/// first, while grains still run and the silo is still a member) is drain itself: placement stops picking it and its experts move
/// to the other expert silos. With no other expert silo it logs why and stops anyway; its experts then reactivate from their
/// checkpoints when next used.
/// </summary>
internal sealed class DrainOnShutdown(
    IOptions<SiloDrainOptions> options,
    IGrainFactory grains,
    ILocalSiloDetails local,
    DeviceAllocator devices,
    ILogger<DrainOnShutdown> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle)
    {
        if (options.Value.DrainOnShutdown)
            lifecycle.Subscribe(nameof(DrainOnShutdown), ServiceLifecycleStage.Active, _ => Task.CompletedTask, DrainAsync);
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        if (devices.HeldCount == 0) return;
        var clock = Stopwatch.StartNew();
        var silo = local.SiloAddress.ToString();
        var operations = grains.GetGrain<IClusterOperationsGrain>(IClusterOperationsGrain.Key);
        try
        {
            var status = await operations.StartDrainAsync(silo);
            logger.LogInformation("Shutting down: draining {Experts} expert(s) from {Silo}", status.ExpertsAtStart, silo);
            while (devices.HeldCount > 0 && clock.Elapsed < options.Value.DrainTimeout && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(100, CancellationToken.None);
                status = await operations.GetDrainStatusAsync(silo);
            }
            if (devices.HeldCount == 0)
                logger.LogInformation("Drained {Silo} in {Seconds:F1} s", silo, clock.Elapsed.TotalSeconds);
            else
                logger.LogWarning("Stopping with {Experts} expert(s) still on {Silo} after {Seconds:F1} s of draining; they reactivate from their checkpoints elsewhere",
                    devices.HeldCount, silo, clock.Elapsed.TotalSeconds);
        }
        catch (Exception e)
        {
            logger.LogWarning("Could not drain {Silo} before stopping: {Error}", silo, e.Message);
        }
    }
}
