namespace MoeGrains.Abstractions.Training;

/// <summary>Where a training run is.</summary>
[GenerateSerializer, Alias("moe.TrainingState")]
public enum TrainingState
{
    /// <summary>No run was started.</summary>
    Idle = 0,

    /// <summary>Steps are being taken.</summary>
    Running = 1,

    /// <summary>All steps done and the final checkpoint committed.</summary>
    Completed = 2,

    /// <summary>Stopped by the user.</summary>
    Cancelled = 3,

    /// <summary>Stopped by an error (see the status's error).</summary>
    Failed = 4,
}
