namespace MoeGrains.Model.Checkpoints;

/// <summary>A checkpoint folder is missing, incomplete or corrupt.</summary>
public sealed class CheckpointException(string message, Exception? inner = null) : Exception(message, inner);
