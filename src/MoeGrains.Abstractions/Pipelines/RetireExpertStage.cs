namespace MoeGrains.Abstractions.Pipelines;

/// <summary>Retires a domain expert: a new model version without it; its checkpoint is archived, never deleted.</summary>
[GenerateSerializer, Immutable, Alias("moe.RetireExpertStage")]
public sealed record RetireExpertStage(
    int Line,
    [property: Id(0)] string Expert) : PipelineStage(Line)
{
    /// <inheritdoc />
    public override string Kind => PipelineStageKinds.RetireExpert;
}
