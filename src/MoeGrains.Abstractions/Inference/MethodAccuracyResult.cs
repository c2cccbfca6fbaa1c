namespace MoeGrains.Abstractions.Inference;

/// <summary>How one scoring method did on a task.</summary>
/// <param name="Method">The method's name.</param>
/// <param name="Accuracy">Share of items predicted right.</param>
/// <param name="Low">Lower end of the 95 % bootstrap interval (1000 seeded resamples).</param>
/// <param name="High">Upper end of the interval.</param>
/// <param name="Count">n: items scored.</param>
/// <param name="Predictions">The chosen index of every item, in item order.</param>
[GenerateSerializer, Immutable, Alias("moe.MethodAccuracyResult")]
public sealed record MethodAccuracyResult(
    [property: Id(0)] string Method,
    [property: Id(1)] double Accuracy,
    [property: Id(2)] double Low,
    [property: Id(3)] double High,
    [property: Id(4)] int Count,
    [property: Id(5)] IReadOnlyList<int> Predictions);
