namespace MoeGrains.Grains.Placement;

/// <summary>The device an expert activation holds for its life.</summary>
/// <param name="Index">The device's index on its silo (0 … Devices-1).</param>
/// <param name="Device">The TorchSharp device string: <c>cuda:N</c>, or <c>cpu</c> on a CPU silo.</param>
[GenerateSerializer, Immutable]
[Alias("MoeGrains.Grains.Placement.DeviceAssignment")]
public sealed record DeviceAssignment([property: Id(0)] int Index, [property: Id(1)] string Device);
