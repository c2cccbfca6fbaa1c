namespace MoeGrains.Cluster.Benchmarks;

/// <summary>Median scored tokens per second through the cluster and in-process, how far their scores differ, and the load average when measured.</summary>
internal sealed record InferenceResult(string Gate, double ClusterTokensPerSecond, double InProcessTokensPerSecond, double MaxScoreDifference, double LoadAverage)
{
    public double Ratio => ClusterTokensPerSecond / InProcessTokensPerSecond;

    public string Row(double target) =>
        $"| {Gate} | {ClusterTokensPerSecond:N0} | {InProcessTokensPerSecond:N0} | {Ratio:F3} | ≥ {target:F2} {(Ratio >= target ? "met" : "MISSED")} | {MaxScoreDifference:G2} | {LoadAverage:F1} |";
}
