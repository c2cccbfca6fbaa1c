using MoeGrains.Diagnostics;

namespace MoeGrains.Model.Training;

/// <summary>Records a training step's <see cref="StepMetrics"/> on the <see cref="MoeMetrics"/> instruments.</summary>
public static class StepMetricsRecording
{
    /// <summary>
    /// Records throughput, loss, per-expert tokens, drops and overflow of <paramref name="metrics"/> under
    /// <paramref name="model"/>; MoE layers are tagged with their transformer block index (as expert ids are).
    /// </summary>
    public static void Record(StepMetrics metrics, string model, ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(config);
        MoeMetrics.RecordTrainingStep(model, metrics.Tokens, metrics.Seconds, metrics.Loss);
        var blocks = MoeBlocks(config);
        for (var i = 0; i < metrics.Layers.Count && i < blocks.Count; i++)
        {
            var layer = metrics.Layers[i];
            MoeMetrics.RecordRouting(model, blocks[i], layer.ExpertTokens, layer.DroppedTokens, layer.OverflowPercent);
        }
    }

    /// <summary>The transformer block indices of the MoE layers, bottom to top (the order of <see cref="StepMetrics.Layers"/>).</summary>
    public static IReadOnlyList<int> MoeBlocks(ModelConfig config) => [.. Enumerable.Range(0, config.Layers).Where(config.IsMoeLayer)];
}
