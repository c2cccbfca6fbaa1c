using System.Runtime.InteropServices;

namespace MoeGrains.Testing;

/// <summary>POSIX signals, for stopping Azurite gracefully.</summary>
internal static partial class NativeMethods
{
    public const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
