namespace MoeGrains.Grains.Placement;

/// <summary>The placement rule, free of Orleans: fewest activations per device, free slots first, ties to the earliest.</summary>
public static class LeastLoadedChoice
{
    /// <summary>Chooses the index of the candidate to place the next activation on.</summary>
    /// <param name="candidates">In stable order: each silo's current activations, devices and expert slots.</param>
    /// <returns>The chosen index, and whether every candidate was already full (the activation then overflows).</returns>
    /// <exception cref="ArgumentException">There are no candidates.</exception>
    public static (int Index, bool Overflow) Choose(IReadOnlyList<(int Activations, int Devices, int ExpertSlots)> candidates)
    {
        if (candidates.Count == 0)
            throw new ArgumentException("There must be at least one candidate silo.", nameof(candidates));

        var overflow = candidates.All(c => c.Activations >= c.ExpertSlots);
        var best = -1;
        for (var i = 0; i < candidates.Count; i++)
        {
            var c = candidates[i];
            if (!overflow && c.Activations >= c.ExpertSlots) continue;
            if (best < 0 || IsLessLoaded(c, candidates[best])) best = i;
        }

        return (best, overflow);
    }

    // a/da < b/db  ⇔  a·db < b·da (devices are positive); strict, so ties keep the earlier candidate.
    private static bool IsLessLoaded((int Activations, int Devices, int ExpertSlots) a, (int Activations, int Devices, int ExpertSlots) b) =>
        (long)a.Activations * Math.Max(1, b.Devices) < (long)b.Activations * Math.Max(1, a.Devices);
}
