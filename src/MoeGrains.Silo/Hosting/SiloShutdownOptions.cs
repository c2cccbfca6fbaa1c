namespace MoeGrains.Silo.Hosting;

/// <summary>How long a graceful shutdown may take. Bound from <c>MoeGrains:Shutdown</c>.</summary>
/// <remarks>
/// Kubernetes sends SIGTERM and kills the pod <c>terminationGracePeriodSeconds</c> later: keep that above
/// <see cref="HostTimeout"/>, and <see cref="HostTimeout"/> above the drain (<c>MoeGrains:Silo:DrainTimeout</c>) plus Orleans'
/// own shutdown.
/// </remarks>
public sealed class SiloShutdownOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "MoeGrains:Shutdown";

    /// <summary>The generic host's shutdown timeout: the drain plus Orleans' graceful stop (default 100 s).</summary>
    public TimeSpan HostTimeout { get; set; } = TimeSpan.FromSeconds(100);
}
