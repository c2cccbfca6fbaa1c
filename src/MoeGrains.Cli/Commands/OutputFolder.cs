using MoeGrains.Model.Checkpoints;

namespace MoeGrains.Cli.Commands;

/// <summary>Picks the folder a training run writes to, never overwriting a checkpoint that is already there.</summary>
internal static class OutputFolder
{
    public static string Choose(string? requested, string defaultName)
    {
        if (!string.IsNullOrWhiteSpace(requested))
        {
            if (ModelCheckpoint.Exists(requested))
                throw new ArgumentException($"--out '{requested}' already holds a checkpoint; choose another folder or remove it first.");
            Directory.CreateDirectory(requested);
            return Path.GetFullPath(requested);
        }

        var root = Path.Combine(Directory.GetCurrentDirectory(), "runs");
        var candidate = Path.Combine(root, defaultName);
        for (var suffix = 2; ModelCheckpoint.Exists(candidate); suffix++)
            candidate = Path.Combine(root, $"{defaultName}-{suffix}");
        Directory.CreateDirectory(candidate);
        return candidate;
    }
}
