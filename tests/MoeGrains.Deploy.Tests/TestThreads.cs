using System.Runtime.CompilerServices;

namespace MoeGrains.Deploy.Tests;

/// <summary>One torch thread in this process, as in the silo processes the tests start (MOE_TORCH_THREADS=1).</summary>
internal static class TestThreads
{
    [ModuleInitializer]
    internal static void UseOneTorchThread() => TorchSharp.torch.set_num_threads(1);
}
