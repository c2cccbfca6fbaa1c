namespace MoeGrains.Abstractions.Pipelines;

/// <summary>Where one stage of a run is.</summary>
[GenerateSerializer, Alias("moe.StageState")]
public enum StageState
{
    /// <summary>Not started.</summary>
    Pending = 0,

    /// <summary>In progress.</summary>
    Running = 1,

    /// <summary>Failed transiently; the next attempt waits for its back-off.</summary>
    Retrying = 2,

    /// <summary>Done.</summary>
    Completed = 3,

    /// <summary>Kept failing; the run stopped here.</summary>
    Failed = 4,
}
