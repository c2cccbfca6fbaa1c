using TorchSharp;

namespace MoeGrains.Grains.Placement;

/// <summary>Asks LibTorch (through TorchSharp) whether CUDA is usable; the native library loads on first use only.</summary>
public sealed class TorchAcceleratorProbe : IAcceleratorProbe
{
    private readonly Lazy<bool> _isCudaAvailable = new(torch.cuda.is_available);
    private readonly Lazy<int> _deviceCount;

    /// <summary>Creates the probe; nothing is loaded until a property is read.</summary>
    public TorchAcceleratorProbe() =>
        _deviceCount = new Lazy<int>(() => _isCudaAvailable.Value ? torch.cuda.device_count() : 0);

    /// <inheritdoc />
    public bool IsCudaAvailable => _isCudaAvailable.Value;

    /// <inheritdoc />
    public int CudaDeviceCount => _deviceCount.Value;
}
