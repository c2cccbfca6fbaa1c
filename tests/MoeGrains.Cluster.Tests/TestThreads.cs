using System.Runtime.CompilerServices;

namespace MoeGrains.Cluster.Tests;

/// <summary>
/// One torch thread for the whole test process — in-process silos and in-process references alike — as in the silo
/// processes the multi-process tests start (MOE_TORCH_THREADS=1). Float reductions split over a different number of
/// threads round differently, and Adam turns those last-bit differences into visible weight differences; several
/// OpenMP pools on two cores also slow each other down.
/// </summary>
internal static class TestThreads
{
    [ModuleInitializer]
    internal static void UseOneTorchThread() => TorchSharp.torch.set_num_threads(1);
}
