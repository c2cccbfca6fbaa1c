namespace MoeGrains.Abstractions.Pipelines;

/// <summary>The model a pipeline builds or changes.</summary>
/// <param name="Name">Model name in the cluster.</param>
/// <param name="Config">Configuration preset: tiny, small or base.</param>
/// <param name="Gate">Gate of the seed model: domain (DEMix) or dense.</param>
/// <param name="Tokenizer">bytes or gpt2.</param>
/// <param name="Seed">Seeds weights, batches and routing randomness of every stage.</param>
/// <param name="Existing">True when the model already exists in the cluster (lifecycle runs without a seed stage).</param>
[GenerateSerializer, Immutable, Alias("moe.PipelineModel")]
public sealed record PipelineModel(
    [property: Id(0)] string Name,
    [property: Id(1)] string Config = "small",
    [property: Id(2)] string Gate = "domain",
    [property: Id(3)] string Tokenizer = "bytes",
    [property: Id(4)] int Seed = 1234,
    [property: Id(5)] bool Existing = false);
