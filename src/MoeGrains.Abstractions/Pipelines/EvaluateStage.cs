namespace MoeGrains.Abstractions.Pipelines;

/// <summary>Per-domain perplexity of the experts and of the mixtures named.</summary>
/// <param name="Line">The stage's line in the pipeline file.</param>
/// <param name="Dataset">The dataset to evaluate on.</param>
/// <param name="Split">valid or test.</param>
/// <param name="Mixtures">Mixture modes: uniform, updating, cached, topk:K.</param>
[GenerateSerializer, Immutable, Alias("moe.EvaluateStage")]
public sealed record EvaluateStage(
    int Line,
    [property: Id(0)] string Dataset,
    [property: Id(1)] string Split,
    [property: Id(2)] IReadOnlyList<string> Mixtures) : PipelineStage(Line)
{
    /// <inheritdoc />
    public override string Kind => PipelineStageKinds.Evaluate;

    /// <inheritdoc />
    public override bool ChangesModel => false;
}
