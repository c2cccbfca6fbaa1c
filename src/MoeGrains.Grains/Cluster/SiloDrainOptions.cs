namespace MoeGrains.Grains.Cluster;

/// <summary>
/// Whether a silo drains its experts before it stops. Bound from <c>MoeGrains:Silo</c> (keys <c>DrainOnShutdown</c>,
/// <c>DrainTimeout</c>) — the seam a Kubernetes graceful termination uses: SIGTERM stops the host, the drain moves every expert
/// to the other expert silos, then the silo leaves.
/// </summary>
public sealed class SiloDrainOptions
{
    /// <summary>The configuration section these options bind from (shared with the silo host's own options).</summary>
    public const string SectionName = "MoeGrains:Silo";

    /// <summary>Drain this silo's experts when it shuts down gracefully (default false: they reactivate elsewhere on next use).</summary>
    public bool DrainOnShutdown { get; set; }

    /// <summary>How long a shutdown waits for the drain (default 25 s: inside the Generic Host's 30 s shutdown timeout and Kubernetes' 30 s grace period).</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(25);
}
