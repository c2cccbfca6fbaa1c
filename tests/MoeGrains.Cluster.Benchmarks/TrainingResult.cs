namespace MoeGrains.Cluster.Benchmarks;

/// <summary>Median seconds per training step through the grains and in-process, and the load average when measured.</summary>
internal sealed record TrainingResult(string Gate, double ClusterSeconds, double InProcessSeconds, int TokensPerStep, double LoadAverage)
{
    public double Ratio => InProcessSeconds / ClusterSeconds;

    public string Row(double target) =>
        $"| {Gate} | {TokensPerStep / ClusterSeconds:N0} | {TokensPerStep / InProcessSeconds:N0} | {Ratio:F3} | ≥ {target:F2} {(Ratio >= target ? "met" : "MISSED")} | {LoadAverage:F1} |";
}
