namespace MoeGrains.Grains.Placement;

/// <summary>The kind of accelerator a silo runs its experts on.</summary>
public enum AcceleratorKind
{
    /// <summary>The CPU: always available; every expert device is <c>cpu</c>.</summary>
    Cpu,

    /// <summary>NVIDIA GPUs through LibTorch's CUDA build: expert devices are <c>cuda:0</c> … <c>cuda:N-1</c>.</summary>
    Cuda,
}
