namespace MoeGrains.Abstractions.Pipelines;

/// <summary>Estimates the cached domain prior (the updating prior over validation blocks, then held fixed).</summary>
[GenerateSerializer, Immutable, Alias("moe.EstimatePriorStage")]
public sealed record EstimatePriorStage(
    int Line,
    [property: Id(0)] string Dataset,
    [property: Id(1)] string Split = "valid",
    [property: Id(2)] int Blocks = 100) : PipelineStage(Line)
{
    /// <inheritdoc />
    public override string Kind => PipelineStageKinds.EstimatePrior;
}
