namespace MoeGrains.Model.Checkpoints;

/// <summary>The last file of a local checkpoint: its format, training step and the weights' hash.</summary>
/// <param name="Format">Layout version of the folder.</param>
/// <param name="Step">Training steps the weights have seen.</param>
/// <param name="WeightsSha256">Lower-case hex SHA-256 of weights.bin.</param>
/// <param name="SavedAt">When the checkpoint was written.</param>
public sealed record CheckpointManifest(int Format, int Step, string WeightsSha256, DateTimeOffset SavedAt)
{
    /// <summary>The format this version writes.</summary>
    public const int CurrentFormat = 1;
}
