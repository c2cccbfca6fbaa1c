namespace MoeGrains.Abstractions.Pipelines;

/// <summary>Commits the run's expert set, shared checkpoint and cached prior as the model's serving version.</summary>
[GenerateSerializer, Immutable, Alias("moe.PublishStage")]
public sealed record PublishStage(int Line) : PipelineStage(Line)
{
    /// <inheritdoc />
    public override string Kind => PipelineStageKinds.Publish;

    /// <inheritdoc />
    public override bool ChangesModel => false;
}
