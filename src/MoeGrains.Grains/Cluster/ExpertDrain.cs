using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MoeGrains.Abstractions.Cluster;
using MoeGrains.Grains.Placement;

namespace MoeGrains.Grains.Cluster;

/// <summary>
/// The silo's shutdown drain of experts (<see cref="ISiloDrain"/>): with <see cref="SiloDrainOptions.DrainOnShutdown"/>, a
/// stopping silo drains itself as <c>moe silos drain</c> does — placement stops picking it and its experts move to the other
/// expert silos. With no other expert silo it logs why and stops anyway; its experts then reactivate from their checkpoints
/// when next used.
/// </summary>
internal sealed class ExpertDrain(
    IOptions<SiloDrainOptions> options,
    IGrainFactory grains,
    ILocalSiloDetails local,
    DeviceAllocator devices,
    ILogger<ExpertDrain> logger) : ISiloDrain
{
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.DrainOnShutdown || devices.HeldCount == 0) return;
        var clock = Stopwatch.StartNew();
        var silo = local.SiloAddress.ToString();
        var operations = grains.GetGrain<IClusterOperationsGrain>(IClusterOperationsGrain.Key);
        try
        {
            var status = await operations.StartDrainAsync(silo);
            logger.LogInformation("Shutting down: draining {Experts} expert(s) from {Silo}", status.ExpertsAtStart, silo);
            while (devices.HeldCount > 0 && !cancellationToken.IsCancellationRequested)
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
