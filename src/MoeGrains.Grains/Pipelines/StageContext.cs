using Microsoft.Extensions.Logging;
using MoeGrains.Abstractions.Pipelines;

namespace MoeGrains.Grains.Pipelines;

/// <summary>What a stage executor sees: the run, its stage, the stage's persisted markers and the cluster.</summary>
internal sealed record StageContext(
    string RunId,
    PipelineDefinition Definition,
    int StageIndex,
    StageRecord Record,
    IReadOnlyList<StageRecord> Records,
    IGrainFactory Grains,
    ILogger Logger)
{
    public PipelineStage Stage => Definition.Stages[StageIndex];

    public PipelineModel Model => Definition.Model;

    public IDictionary<string, string> Markers => Record.Markers;

    /// <summary>The last earlier stage of type <typeparamref name="T"/> and its record, or null.</summary>
    public (T Stage, StageRecord Record)? Earlier<T>() where T : PipelineStage
    {
        for (var i = StageIndex - 1; i >= 0; i--)
            if (Definition.Stages[i] is T stage) return (stage, Records[i]);
        return null;
    }

    /// <summary>The dataset a stage names (validated when the pipeline was parsed).</summary>
    public PipelineDataset Dataset(string name) =>
        Definition.FindDataset(name) ?? throw new ArgumentException($"Pipeline '{Definition.Name}' has no dataset '{name}'.");
}
