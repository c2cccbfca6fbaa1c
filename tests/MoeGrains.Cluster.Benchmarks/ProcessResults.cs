namespace MoeGrains.Cluster.Benchmarks;

/// <summary>What the two-process cluster measured.</summary>
internal sealed record ProcessResults(List<TrainingResult> Training, InferenceResult Inference, double CallMicroseconds, List<string> Placements);
