namespace MoeGrains.Abstractions.Pipelines;

/// <summary>A training run described once: the model, the datasets it reads and the stages that build it, in order.</summary>
/// <param name="Name">The pipeline's name (from the file, or the file name without extension).</param>
/// <param name="Model">The model the run creates (with a <see cref="SeedStage"/>) or changes.</param>
/// <param name="Datasets">Every dataset a stage may name.</param>
/// <param name="Stages">The stages, run one after another.</param>
[GenerateSerializer, Immutable, Alias("moe.PipelineDefinition")]
public sealed record PipelineDefinition(
    [property: Id(0)] string Name,
    [property: Id(1)] PipelineModel Model,
    [property: Id(2)] IReadOnlyList<PipelineDataset> Datasets,
    [property: Id(3)] IReadOnlyList<PipelineStage> Stages)
{
    /// <summary>The dataset named <paramref name="name"/>, or null.</summary>
    public PipelineDataset? FindDataset(string name) => Datasets.FirstOrDefault(dataset => dataset.Name == name);
}
