using System.Globalization;

namespace MoeGrains.Cluster.Benchmarks;

/// <summary>The machine's 1-minute load average, printed beside each ratio: the machine is shared, and ratios move with it.</summary>
internal static class LoadAverage
{
    public static double Now() => double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    /// <summary>The 1-, 5- and 15-minute figures as /proc/loadavg prints them.</summary>
    public static string Figures() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
