namespace MoeGrains.Abstractions.Pipelines;

/// <summary>Phase 2 set-up: one domain-expert grain per domain, each initialised from the seed checkpoint.</summary>
/// <param name="Line">The stage's line in the pipeline file.</param>
/// <param name="Domains">The domains to branch (every domain of the seed dataset when empty).</param>
/// <param name="TrainAll">Branch-Train-Merge: train all parameters of a branch instead of its FFNs only.</param>
[GenerateSerializer, Immutable, Alias("moe.BranchStage")]
public sealed record BranchStage(
    int Line,
    [property: Id(0)] IReadOnlyList<string> Domains,
    [property: Id(1)] bool TrainAll = false) : PipelineStage(Line)
{
    /// <inheritdoc />
    public override string Kind => PipelineStageKinds.Branch;
}
