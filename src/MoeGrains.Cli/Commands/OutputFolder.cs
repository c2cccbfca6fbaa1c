using MoeGrains.Model.Checkpoints;

namespace MoeGrains.Cli.Commands;

/// <summary>Picks the folder a training run writes to, never overwriting a checkpoint that is already there.</summary>
internal static class OutputFolder
{
    /// <param name="requested">--out, or null for ./runs/<paramref name="defaultName"/> (numbered when taken).</param>
    /// <param name="defaultName">The default folder's name.</param>
    /// <param name="metricsOnly">
    /// For a run through grains, whose checkpoint is in the store: a folder is taken when it holds metrics.jsonl too.
    /// </param>
    public static string Choose(string? requested, string defaultName, bool metricsOnly = false)
    {
        bool Taken(string folder) => ModelCheckpoint.Exists(folder) || (metricsOnly && File.Exists(Path.Combine(folder, "metrics.jsonl")));
        if (!string.IsNullOrWhiteSpace(requested))
        {
            if (Taken(requested))
                throw new ArgumentException($"--out '{requested}' already holds a {(ModelCheckpoint.Exists(requested) ? "checkpoint" : "run's metrics.jsonl")}; choose another folder or remove it first.");
            Directory.CreateDirectory(requested);
            return Path.GetFullPath(requested);
        }

        var root = Path.Combine(Directory.GetCurrentDirectory(), "runs");
        var candidate = Path.Combine(root, defaultName);
        for (var suffix = 2; Taken(candidate); suffix++)
            candidate = Path.Combine(root, $"{defaultName}-{suffix}");
        Directory.CreateDirectory(candidate);
        return candidate;
    }
}
