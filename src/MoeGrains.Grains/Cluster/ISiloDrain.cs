namespace MoeGrains.Grains.Cluster;

/// <summary>
/// Moves this silo's work elsewhere before it stops. Every registered implementation runs, one after another, when the silo
/// begins a graceful shutdown (SIGTERM from Kubernetes, Ctrl+C, a test cluster stopping a silo), while the silo is still a
/// cluster member and can still call grains, within <see cref="SiloDrainOptions.DrainTimeout"/>. The expert drain
/// (<see cref="ExpertDrain"/>) is the one MoeGrains registers; a host may add its own with
/// <c>services.AddSingleton&lt;ISiloDrain, …&gt;()</c>.
/// </summary>
public interface ISiloDrain
{
    /// <summary>Moves the work off this silo; honour <paramref name="cancellationToken"/> (the drain timeout).</summary>
    Task DrainAsync(CancellationToken cancellationToken);
}
