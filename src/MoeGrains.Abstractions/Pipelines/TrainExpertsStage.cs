namespace MoeGrains.Abstractions.Pipelines;

/// <summary>Phase 2: every branched expert trains on its own domain, independently and in parallel.</summary>
[GenerateSerializer, Immutable, Alias("moe.TrainExpertsStage")]
public sealed record TrainExpertsStage(
    int Line,
    [property: Id(0)] int Steps,
    [property: Id(1)] int BatchSize = 16,
    [property: Id(2)] double LearningRate = 3e-3,
    [property: Id(3)] int CheckpointEvery = 50) : PipelineStage(Line)
{
    /// <inheritdoc />
    public override string Kind => PipelineStageKinds.TrainExperts;
}
