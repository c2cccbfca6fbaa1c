namespace MoeGrains.Abstractions.Pipelines;

/// <summary>Phase 1: train the whole model on every domain of a dataset (balanced domain sampling) and commit a checkpoint.</summary>
[GenerateSerializer, Immutable, Alias("moe.SeedStage")]
public sealed record SeedStage(
    int Line,
    [property: Id(0)] string Dataset,
    [property: Id(1)] int Steps,
    [property: Id(2)] int BatchSize = 16,
    [property: Id(3)] double LearningRate = 3e-3,
    [property: Id(4)] int CheckpointEvery = 50) : PipelineStage(Line)
{
    /// <inheritdoc />
    public override string Kind => PipelineStageKinds.Seed;
}
