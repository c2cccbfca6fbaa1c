namespace MoeGrains.Grains.Placement;

/// <summary>
/// What a silo offers to experts: which accelerator, how many devices and how many expert slots.
/// Bound from the configuration section <c>MoeGrains:Accelerator</c>.
/// </summary>
/// <remarks>
/// The defaults (CPU, one device, <see cref="DefaultExpertSlots"/> slots) let a single embedded silo host
/// every expert. A router/gateway silo that must never host experts sets <see cref="ExpertSlots"/> to 0.
/// </remarks>
public sealed class AcceleratorOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "MoeGrains:Accelerator";

    /// <summary>The default number of expert slots: enough for one embedded CPU silo to host a whole small model.</summary>
    public const int DefaultExpertSlots = 64;

    /// <summary>The accelerator: <c>cpu</c> (default) or <c>cuda</c>. A <c>cuda</c> silo refuses to start where CUDA is unavailable.</summary>
    public AcceleratorKind Accelerator { get; set; } = AcceleratorKind.Cpu;

    /// <summary>How many devices expert activations are spread over (default 1). For <c>cuda</c>, at most the number of visible GPUs.</summary>
    public int Devices { get; set; } = 1;

    /// <summary>How many expert activations this silo accepts (default <see cref="DefaultExpertSlots"/>); 0 makes a router/gateway silo.</summary>
    public int ExpertSlots { get; set; } = DefaultExpertSlots;
}
