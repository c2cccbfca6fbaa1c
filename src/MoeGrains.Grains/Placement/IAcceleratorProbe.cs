namespace MoeGrains.Grains.Placement;

/// <summary>Tells what accelerators this host has. Replace it in tests to simulate a GPU host or a CPU-only one.</summary>
public interface IAcceleratorProbe
{
    /// <summary>Whether CUDA can be used on this host.</summary>
    bool IsCudaAvailable { get; }

    /// <summary>How many CUDA devices are visible (0 where CUDA is unavailable).</summary>
    int CudaDeviceCount { get; }
}
