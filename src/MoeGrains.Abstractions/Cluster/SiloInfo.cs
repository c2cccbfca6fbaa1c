namespace MoeGrains.Abstractions.Cluster;

/// <summary>One active silo of the cluster and what it offers to experts.</summary>
/// <param name="Address">The silo's address as Orleans prints it (<c>S127.0.0.1:11111:…</c>); pass it to a drain.</param>
/// <param name="Name">The silo's name.</param>
/// <param name="Status">Its membership status (<c>Active</c>, <c>ShuttingDown</c>, …).</param>
/// <param name="Accelerator">The accelerator it publishes (<c>cpu</c>, <c>cuda</c>), or null when its metadata has not arrived.</param>
/// <param name="Devices">Devices experts are spread over.</param>
/// <param name="ExpertSlots">Expert activations it accepts; 0 for a router/gateway silo.</param>
/// <param name="ExpertsHosted">Expert activations on it now; <see cref="Unknown"/> when it did not answer in time (e.g. it just died).</param>
/// <param name="Draining">Whether it is being drained: placement no longer picks it.</param>
[GenerateSerializer, Immutable, Alias("moe.SiloInfo")]
public sealed record SiloInfo(
    [property: Id(0)] string Address,
    [property: Id(1)] string Name,
    [property: Id(2)] string Status,
    [property: Id(3)] string? Accelerator,
    [property: Id(4)] int Devices,
    [property: Id(5)] int ExpertSlots,
    [property: Id(6)] int ExpertsHosted,
    [property: Id(7)] bool Draining)
{
    /// <summary>The <see cref="ExpertsHosted"/> of a silo that did not answer.</summary>
    public const int Unknown = -1;
}
