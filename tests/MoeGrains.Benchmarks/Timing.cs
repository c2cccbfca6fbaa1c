using System.Diagnostics;

namespace MoeGrains.Benchmarks;

/// <summary>Wall-clock helpers. Contenders are interleaved so that machine noise hits them alike.</summary>
internal static class Timing
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static double Seconds(Action action)
    {
        var stopwatch = Stopwatch.StartNew();
        action();
        return stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>Runs every contender once per round, after <paramref name="warmup"/> unmeasured rounds; returns median seconds per contender.</summary>
    public static double[] Interleaved(int warmup, int rounds, params Action[] contenders)
    {
        for (var w = 0; w < warmup; w++) foreach (var c in contenders) c();
        var samples = contenders.Select(_ => new List<double>()).ToArray();
        for (var r = 0; r < rounds; r++)
            for (var i = 0; i < contenders.Length; i++) samples[i].Add(Seconds(contenders[i]));
        return [.. samples.Select(Median)];
    }
}
