namespace MoeGrains.Grains.Placement;

/// <summary>How many expert activations hold one device of this silo.</summary>
/// <param name="Index">The device's index on its silo.</param>
/// <param name="Device">The TorchSharp device string (<c>cuda:N</c> or <c>cpu</c>).</param>
/// <param name="Activations">The expert activations holding it now.</param>
[GenerateSerializer, Immutable]
[Alias("MoeGrains.Grains.Placement.DeviceLoad")]
public sealed record DeviceLoad([property: Id(0)] int Index, [property: Id(1)] string Device, [property: Id(2)] int Activations);
