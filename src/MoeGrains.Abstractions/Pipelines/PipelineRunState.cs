namespace MoeGrains.Abstractions.Pipelines;

/// <summary>Where a pipeline run is.</summary>
[GenerateSerializer, Alias("moe.PipelineRunState")]
public enum PipelineRunState
{
    /// <summary>Stages are running (or waiting for a retry).</summary>
    Running = 0,

    /// <summary>Every stage finished.</summary>
    Completed = 1,

    /// <summary>A stage kept failing; resume after fixing the cause.</summary>
    Failed = 2,

    /// <summary>Stopped by the user; resume continues it.</summary>
    Cancelled = 3,
}
