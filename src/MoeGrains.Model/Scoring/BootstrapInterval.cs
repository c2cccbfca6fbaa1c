namespace MoeGrains.Model.Scoring;

/// <summary>Percentile bootstrap confidence interval of an accuracy.</summary>
public static class BootstrapInterval
{
    /// <summary>Resamples unless told otherwise.</summary>
    public const int DefaultResamples = 1000;

    /// <summary>
    /// The central <paramref name="level"/> interval of the accuracy over <paramref name="resamples"/> resamples of the
    /// items with replacement (percentiles interpolated linearly between order statistics). The same seed draws the same
    /// item indices, so methods scored on one task are resampled in pairs.
    /// </summary>
    /// <exception cref="ArgumentException">No outcomes, fewer than one resample, or a level outside (0, 1).</exception>
    public static (double Low, double High) Compute(IReadOnlyList<bool> correct, int resamples = DefaultResamples, int seed = 0, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(correct);
        if (correct.Count == 0) throw new ArgumentException("No outcomes to resample.", nameof(correct));
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        if (!(level > 0 && level < 1)) throw new ArgumentException($"The level must be in (0, 1); got {level}.", nameof(level));
        var random = new Random(seed);
        var accuracies = new double[resamples];
        for (var r = 0; r < resamples; r++)
        {
            var hits = 0;
            for (var i = 0; i < correct.Count; i++)
                if (correct[random.Next(correct.Count)]) hits++;
            accuracies[r] = (double)hits / correct.Count;
        }
        Array.Sort(accuracies);
        var tail = (1 - level) / 2;
        return (Percentile(accuracies, tail), Percentile(accuracies, 1 - tail));
    }

    private static double Percentile(double[] sorted, double fraction)
    {
        var position = fraction * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
