namespace MoeGrains.Grains.Placement;

/// <summary>The Orleans silo-metadata keys through which a silo publishes what it offers to experts.</summary>
public static class SiloMetadataKeys
{
    /// <summary><c>moe.accelerator</c>: <c>cpu</c> or <c>cuda</c>.</summary>
    public const string Accelerator = "moe.accelerator";

    /// <summary><c>moe.devices</c>: the number of devices experts are spread over.</summary>
    public const string Devices = "moe.devices";

    /// <summary><c>moe.expert-slots</c>: how many expert activations the silo accepts; 0 for a router/gateway silo.</summary>
    public const string ExpertSlots = "moe.expert-slots";
}
