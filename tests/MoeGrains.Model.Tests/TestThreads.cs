using System.Runtime.CompilerServices;

namespace MoeGrains.Model.Tests;

/// <summary>
/// Tests use one torch thread: test assemblies and the moe processes they start run side by side on few cores, and
/// several OpenMP pools spinning on the same cores slow each other down by an order of magnitude.
/// </summary>
internal static class TestThreads
{
    [ModuleInitializer]
    internal static void UseOneTorchThread() => TorchSharp.torch.set_num_threads(1);
}
