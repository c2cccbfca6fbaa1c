namespace MoeGrains.Grains.Cluster;

/// <summary>
/// Whether a silo drains its experts before it stops, and how long its shutdown drain may take. Bound from <c>MoeGrains:Silo</c>
/// (keys <c>DrainOnShutdown</c>, <c>DrainTimeout</c>) — what a Kubernetes graceful termination uses: SIGTERM stops the host,
/// the drain moves every expert to the other expert silos, then the silo leaves.
/// </summary>
public sealed class SiloDrainOptions
{
    /// <summary>The configuration section these options bind from (shared with the silo host's own options).</summary>
    public const string SectionName = "MoeGrains:Silo";

    /// <summary>Drain this silo's experts when it shuts down gracefully (default false: they reactivate elsewhere on next use).</summary>
    public bool DrainOnShutdown { get; set; }

    /// <summary>
    /// How long a graceful shutdown runs the registered <see cref="ISiloDrain"/>s (default 25 s). The silo host's
    /// <c>MoeGrains:Shutdown:HostTimeout</c> must be longer, and Kubernetes' <c>terminationGracePeriodSeconds</c> longer still.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(25);
}
