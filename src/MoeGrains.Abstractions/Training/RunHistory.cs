namespace MoeGrains.Abstractions.Training;

/// <summary>One training run of a model, as far as it was committed.</summary>
/// <param name="Run">1-based run number.</param>
/// <param name="StartStep">The model's step when the run started (its first step is StartStep + 1).</param>
/// <param name="State">How the run ended, or <see cref="TrainingState.Running"/>.</param>
/// <param name="Losses">The loss of every step, in order.</param>
/// <param name="Routing">Routing of every k-th step (k grows with the run's length so a run keeps at most a few hundred samples).</param>
[GenerateSerializer, Immutable, Alias("moe.RunHistory")]
public sealed record RunHistory(
    [property: Id(0)] int Run,
    [property: Id(1)] long StartStep,
    [property: Id(2)] TrainingState State,
    [property: Id(3)] IReadOnlyList<double> Losses,
    [property: Id(4)] IReadOnlyList<RoutingSample> Routing);
