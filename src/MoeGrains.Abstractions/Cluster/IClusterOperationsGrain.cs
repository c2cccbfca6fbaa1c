namespace MoeGrains.Abstractions.Cluster;

/// <summary>
/// Operations on the cluster's silos (a single grain, key <see cref="Key"/>): list them with what they offer and host, and drain
/// an expert silo for scale-in. Draining applies to every expert grain type placed on expert silos, whatever its model.
/// </summary>
[Alias("moe.IClusterOperationsGrain")]
public interface IClusterOperationsGrain : IGrainWithStringKey
{
    /// <summary>The grain's key.</summary>
    const string Key = "cluster";

    /// <summary>Every active silo: address, accelerator metadata, slots, experts hosted, draining.</summary>
    [Alias("ListSilos")]
    Task<IReadOnlyList<SiloInfo>> ListSilosAsync();

    /// <summary>
    /// Marks <paramref name="silo"/> draining — placement no longer picks it — and starts moving every expert activation on it
    /// to the other expert silos (each reloads its weights from its latest committed checkpoint there). Returns at once; poll
    /// <see cref="GetDrainStatusAsync"/>. Calling it again for a draining silo asks the remaining activations to move again.
    /// </summary>
    /// <exception cref="ArgumentException">No active silo has that address.</exception>
    /// <exception cref="InvalidOperationException">No other active expert silo could take its experts; nothing was changed.</exception>
    [Alias("StartDrain")]
    Task<DrainStatus> StartDrainAsync(string silo);

    /// <summary>The drain of <paramref name="silo"/> so far.</summary>
    /// <exception cref="ArgumentException">That silo is not being drained.</exception>
    [Alias("GetDrainStatus")]
    Task<DrainStatus> GetDrainStatusAsync(string silo);
}
