using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MoeGrains.Grains.Cluster;

/// <summary>
/// The one shutdown drain: runs every <see cref="ISiloDrain"/> on stop of <see cref="ServiceLifecycleStage.Active"/>, the first
/// stage to stop, so membership, messaging and grain calls still work, within <see cref="SiloDrainOptions.DrainTimeout"/>.
/// </summary>
internal sealed class SiloDrainParticipant(
    IEnumerable<ISiloDrain> drains,
    IOptions<SiloDrainOptions> options,
    ILogger<SiloDrainParticipant> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SiloDrainParticipant), ServiceLifecycleStage.Active, _ => Task.CompletedTask, DrainAsync);

    private async Task DrainAsync(CancellationToken shutdown)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        timeout.CancelAfter(options.Value.DrainTimeout);
        foreach (var drain in drains)
        {
            try
            {
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
