using MoeGrains.Abstractions.Pipelines;

namespace MoeGrains.Grains.Pipelines;

/// <summary>What the run grain persists about one stage.</summary>
[GenerateSerializer, Alias("moe.StageRecord")]
internal sealed class StageRecord
{
    [Id(0)] public StageState State { get; set; }
    [Id(1)] public int Attempts { get; set; }
    [Id(2)] public DateTimeOffset? StartedAt { get; set; }
    [Id(3)] public DateTimeOffset? CompletedAt { get; set; }
    [Id(4)] public string? Message { get; set; }
    [Id(5)] public string? Error { get; set; }
    [Id(6)] public DateTimeOffset NextAttemptAt { get; set; }
    [Id(7)] public List<ExpertProgress> Experts { get; set; } = [];

    /// <summary>Facts a stage records so that running it again skips what is done (e.g. "created" after creating the model).</summary>
    [Id(8)] public Dictionary<string, string> Markers { get; set; } = [];

    public StageStatus ToStatus(PipelineStage stage) =>
        new(stage.Kind, stage.Line, State, Attempts, StartedAt, CompletedAt, Message, Error, [.. Experts]);
}
