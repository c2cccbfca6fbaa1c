using MoeGrains.Abstractions.Pipelines;

namespace MoeGrains.Grains.Pipelines;

/// <summary>What the run grain persists in grain storage: the definition and where every stage is — never weights.</summary>
[GenerateSerializer, Alias("moe.PipelineRunRecord")]
internal sealed class PipelineRunRecord
{
    [Id(0)] public PipelineDefinition? Definition { get; set; }
    [Id(1)] public PipelineRunState State { get; set; }
    [Id(2)] public int CurrentStage { get; set; }
    [Id(3)] public List<StageRecord> Stages { get; set; } = [];
    [Id(4)] public string? Error { get; set; }
    [Id(5)] public DateTimeOffset CreatedAt { get; set; }
}
