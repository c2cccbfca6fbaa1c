namespace MoeGrains.Abstractions.Domains;

/// <summary>Phase 2 for one domain expert: branch-train its domain's FFNs (or, BTM, all weights) on its own data.</summary>
/// <param name="Dataset">The dataset in the store whose <c>train</c> split of the expert's domain is its data.</param>
/// <param name="SharedVersion">The committed version of the shared (phase-1) model the expert starts from.</param>
/// <param name="Steps">Optimizer steps.</param>
/// <param name="BatchSize">Blocks per step.</param>
/// <param name="LearningRate">Peak learning rate.</param>
/// <param name="Seed">Seeds the batches.</param>
/// <param name="CheckpointEvery">Commit the expert's weights every this many steps (and at the end).</param>
/// <param name="AllParameters">Branch-Train-Merge: train every weight instead of the FFNs only.</param>
/// <param name="InitFrom">An added expert: the existing expert whose committed weights it starts from (null: the shared model's own expert for the domain).</param>
/// <param name="InitFromVersion">The committed version of <paramref name="InitFrom"/> to start from.</param>
[GenerateSerializer, Immutable, Alias("moe.DomainExpertTrainingRequest")]
public sealed record DomainExpertTrainingRequest(
    [property: Id(0)] string Dataset,
    [property: Id(1)] int SharedVersion,
    [property: Id(2)] int Steps,
    [property: Id(3)] int BatchSize = 16,
    [property: Id(4)] double LearningRate = 3e-3,
    [property: Id(5)] int Seed = 1234,
    [property: Id(6)] int CheckpointEvery = 50,
    [property: Id(7)] bool AllParameters = false,
    [property: Id(8)] string? InitFrom = null,
    [property: Id(9)] int InitFromVersion = 0);
