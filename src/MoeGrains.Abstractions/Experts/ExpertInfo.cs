namespace MoeGrains.Abstractions.Experts;

/// <summary>Where an expert lives and what it has done.</summary>
/// <param name="Id">The expert's global id.</param>
/// <param name="Silo">The silo hosting the activation.</param>
/// <param name="Device">The device the activation is bound to (cpu or cuda:N).</param>
/// <param name="Version">The checkpoint version its weights came from.</param>
/// <param name="Step">Training steps its weights have seen.</param>
/// <param name="TokensProcessed">Tokens routed to it since activation.</param>
/// <param name="DeviceSlot">Index of the device slot on its silo (several CPU slots all say "cpu").</param>
[GenerateSerializer, Immutable, Alias("moe.ExpertInfo")]
public sealed record ExpertInfo(
    [property: Id(0)] ExpertId Id,
    [property: Id(1)] string Silo,
    [property: Id(2)] string Device,
    [property: Id(3)] int Version,
    [property: Id(4)] long Step,
    [property: Id(5)] long TokensProcessed,
    [property: Id(6)] int DeviceSlot);
