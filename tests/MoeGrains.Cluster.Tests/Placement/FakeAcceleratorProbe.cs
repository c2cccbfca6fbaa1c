using MoeGrains.Grains.Placement;

namespace MoeGrains.Cluster.Tests.Placement;

/// <summary>A host with (or without) the given number of CUDA devices, without loading LibTorch.</summary>
public sealed class FakeAcceleratorProbe(int cudaDevices) : IAcceleratorProbe
{
    public bool IsCudaAvailable => cudaDevices > 0;

    public int CudaDeviceCount => cudaDevices;
}
