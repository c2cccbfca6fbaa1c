namespace MoeGrains.Silo.Hosting;

/// <summary>
/// Moves this silo's work elsewhere before it stops (the expert drain of the domain-experts issue plugs in here). Every
/// registered implementation runs when the silo begins a graceful shutdown (SIGTERM from Kubernetes, Ctrl+C), while the silo is
/// still a cluster member and can still call grains, within <see cref="SiloShutdownOptions.DrainTimeout"/>.
/// </summary>
public interface ISiloDrain
{
    /// <summary>Moves the work off this silo; honour <paramref name="cancellationToken"/> (the drain timeout).</summary>
    Task DrainAsync(CancellationToken cancellationToken);
}
