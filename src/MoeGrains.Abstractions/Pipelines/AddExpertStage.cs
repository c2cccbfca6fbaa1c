namespace MoeGrains.Abstractions.Pipelines;

/// <summary>Adds a domain expert: initialised from the highest-posterior expert, its FFNs trained at a reduced learning rate.</summary>
[GenerateSerializer, Immutable, Alias("moe.AddExpertStage")]
public sealed record AddExpertStage(
    int Line,
    [property: Id(0)] string Domain,
    [property: Id(1)] string Dataset,
    [property: Id(2)] int Steps = 1000,
    [property: Id(3)] double LearningRateScale = 0.1) : PipelineStage(Line)
{
    /// <inheritdoc />
    public override string Kind => PipelineStageKinds.AddExpert;
}
