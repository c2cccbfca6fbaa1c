namespace MoeGrains.Silo.Hosting;

/// <summary>What the health endpoint reports: alive once the host runs; ready while the silo is an active member and not draining.</summary>
internal sealed class SiloHealth(IClusterMembershipService membership, ILocalSiloDetails local)
{
    private volatile bool draining;

    /// <summary>True from the start of a graceful shutdown on.</summary>
    public bool IsDraining => draining;

    /// <summary>This silo's status in the membership view (<c>None</c> before it joins).</summary>
    public SiloStatus Status => membership.CurrentSnapshot.GetSiloStatus(local.SiloAddress);

    /// <summary>Ready for traffic: an active cluster member that is not draining.</summary>
    public bool IsReady => !draining && Status == SiloStatus.Active;

    /// <summary>Alive unless the cluster has declared this silo dead (then a restart is the cure).</summary>
    public bool IsAlive => Status != SiloStatus.Dead;

    /// <summary>Called when a graceful shutdown begins, just before the drains run; readiness fails from then on.</summary>
    public void MarkDraining() => draining = true;
}
