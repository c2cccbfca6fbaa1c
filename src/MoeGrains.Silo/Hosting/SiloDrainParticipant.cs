using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MoeGrains.Silo.Hosting;

/// <summary>
/// Runs every <see cref="ISiloDrain"/> at the start of a graceful shutdown: on stop of <see cref="ServiceLifecycleStage.Active"/>,
/// the first stage to stop, so membership, messaging and grain calls still work. Marks the silo as draining first so the
/// readiness probe fails and Kubernetes stops sending new clients to it.
/// </summary>
internal sealed class SiloDrainParticipant(
    IEnumerable<ISiloDrain> drains,
    SiloHealth health,
    IOptions<SiloShutdownOptions> options,
    ILogger<SiloDrainParticipant> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SiloDrainParticipant), ServiceLifecycleStage.Active, _ => Task.CompletedTask, DrainAsync);

    private async Task DrainAsync(CancellationToken shutdown)
    {
        health.MarkDraining();
        var all = drains.ToList();
        if (all.Count == 0) return;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        timeout.CancelAfter(options.Value.DrainTimeout);
        foreach (var drain in all)
        {
            try
            {
                logger.LogInformation("Draining this silo: {Drain}", drain.GetType().Name);
                await drain.DrainAsync(timeout.Token);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A failed drain must not block shutdown: what it did not move reloads from the last checkpoint elsewhere.
                logger.LogError(e, "Drain {Drain} failed; the silo stops anyway", drain.GetType().Name);
            }
        }
    }
}
