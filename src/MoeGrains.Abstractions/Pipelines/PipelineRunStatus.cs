namespace MoeGrains.Abstractions.Pipelines;

/// <summary>A snapshot of a pipeline run.</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Pipeline">The pipeline's name.</param>
/// <param name="Model">The model it builds or changes.</param>
/// <param name="State">Where the run is.</param>
/// <param name="CurrentStage">Index of the stage in flight (the stage count when completed).</param>
/// <param name="Stages">Every stage, in order.</param>
/// <param name="Error">What stopped a failed run.</param>
/// <param name="CreatedAt">When the run was submitted.</param>
[GenerateSerializer, Immutable, Alias("moe.PipelineRunStatus")]
public sealed record PipelineRunStatus(
    [property: Id(0)] string RunId,
    [property: Id(1)] string Pipeline,
    [property: Id(2)] string Model,
    [property: Id(3)] PipelineRunState State,
    [property: Id(4)] int CurrentStage,
    [property: Id(5)] IReadOnlyList<StageStatus> Stages,
    [property: Id(6)] string? Error,
    [property: Id(7)] DateTimeOffset CreatedAt);
