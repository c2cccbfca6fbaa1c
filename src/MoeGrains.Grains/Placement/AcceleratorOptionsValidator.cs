using Microsoft.Extensions.Options;

namespace MoeGrains.Grains.Placement;

/// <summary>
/// Rejects impossible accelerator settings when the silo starts: a <c>cuda</c> silo on a host without CUDA,
/// more CUDA devices than are visible, fewer than one device, negative slots.
/// </summary>
public sealed class AcceleratorOptionsValidator(IAcceleratorProbe probe) : IValidateOptions<AcceleratorOptions>
{
    private const string Section = AcceleratorOptions.SectionName;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AcceleratorOptions options)
    {
        var failures = new List<string>();
        if (options.Devices < 1)
            failures.Add($"{Section}:Devices={options.Devices} but a silo needs at least one device.");
        if (options.ExpertSlots < 0)
            failures.Add($"{Section}:ExpertSlots={options.ExpertSlots} but slots cannot be negative (0 makes a router/gateway silo).");
        if (options.Accelerator == AcceleratorKind.Cuda)
        {
            if (!probe.IsCudaAvailable)
                failures.Add($"{Section}:Accelerator=cuda but CUDA is not available on this host (CPU build of LibTorch, or no GPU). Set {Section}:Accelerator=cpu to run experts on the CPU.");
            else if (options.Devices > probe.CudaDeviceCount)
                failures.Add($"{Section}:Devices={options.Devices} but only {probe.CudaDeviceCount} CUDA device(s) are visible on this host.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
