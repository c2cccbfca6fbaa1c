namespace MoeGrains.Model.Scoring;

/// <summary>How one method did on a task.</summary>
/// <param name="Method">The scoring method.</param>
/// <param name="Accuracy">Share of items whose prediction is the label.</param>
/// <param name="Low">Lower end of the 95 % bootstrap interval.</param>
/// <param name="High">Upper end of the 95 % bootstrap interval.</param>
/// <param name="Count">n: items scored.</param>
/// <param name="Predictions">The chosen choice index of every item, in item order.</param>
public sealed record MethodAccuracy(ScoringMethod Method, double Accuracy, double Low, double High, int Count, IReadOnlyList<int> Predictions);
