using System.Runtime.CompilerServices;

namespace MoeGrains.Faults.Tests;

/// <summary>One torch thread in the test process (the silo processes run with MOE_TORCH_THREADS=1): two cores are shared.</summary>
internal static class TestThreads
{
    [ModuleInitializer]
    internal static void UseOneTorchThread() => TorchSharp.torch.set_num_threads(1);
}
