namespace MoeGrains.Abstractions.Training;

/// <summary>A training run over a dataset in the checkpoint store.</summary>
/// <param name="Dataset">Dataset name (uploaded with the client).</param>
/// <param name="Steps">Optimizer steps to run.</param>
/// <param name="BatchSize">Blocks per step.</param>
/// <param name="LearningRate">Peak learning rate.</param>
/// <param name="Seed">Seeds batches and routing randomness.</param>
/// <param name="CheckpointEvery">Commit a checkpoint every this many steps (and at the end).</param>
[GenerateSerializer, Immutable, Alias("moe.TrainingRequest")]
public sealed record TrainingRequest(
    [property: Id(0)] string Dataset,
    [property: Id(1)] int Steps,
    [property: Id(2)] int BatchSize = 16,
    [property: Id(3)] double LearningRate = 3e-3,
    [property: Id(4)] int Seed = 1234,
    [property: Id(5)] int CheckpointEvery = 50);
