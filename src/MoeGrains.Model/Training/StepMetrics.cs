using MoeGrains.Model.Routing;

namespace MoeGrains.Model.Training;

/// <summary>What one training step measured.</summary>
/// <param name="Step">1-based step number.</param>
/// <param name="Loss">Language-model cross-entropy (nats per token).</param>
/// <param name="AuxLoss">Sum of the MoE layers' load-balancing losses (unweighted).</param>
/// <param name="LearningRate">The learning rate used.</param>
/// <param name="Tokens">Tokens (positions) in the batch.</param>
/// <param name="Seconds">Wall time of the step.</param>
/// <param name="Layers">Routing metrics per MoE layer, bottom to top.</param>
public sealed record StepMetrics(int Step, double Loss, double AuxLoss, double LearningRate, long Tokens, double Seconds,
    IReadOnlyList<LayerRoutingMetrics> Layers)
{
    /// <summary>Tokens per second of this step.</summary>
    public double TokensPerSecond => Seconds > 0 ? Tokens / Seconds : 0;

    /// <summary>Mean overflow (dropped assignments, %) over MoE layers; 0 without MoE layers.</summary>
    public double OverflowPercent => Layers.Count == 0 ? 0 : Layers.Average(l => l.OverflowPercent);

    /// <summary>Mean gate entropy (nats) over MoE layers; 0 without MoE layers.</summary>
    public double GateEntropy => Layers.Count == 0 ? 0 : Layers.Average(l => l.GateEntropy);
}
