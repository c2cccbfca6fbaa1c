using System.Text.Json;
using MoeGrains.Model.Training;

namespace MoeGrains.Cli.Output;

/// <summary>Appends one JSON line per logged training step to metrics.jsonl.</summary>
internal sealed class MetricsWriter(string path) : IDisposable
{
    private readonly StreamWriter writer = new(path, append: false);

    public void Write(StepMetrics metrics)
    {
        var record = new
        {
            step = metrics.Step,
            loss = metrics.Loss,
            auxLoss = metrics.AuxLoss,
            lr = metrics.LearningRate,
            overflowPercent = metrics.OverflowPercent,
            gateEntropy = metrics.GateEntropy,
            tokensPerSecond = metrics.TokensPerSecond,
            layers = metrics.Layers,
        };
        writer.WriteLine(JsonSerializer.Serialize(record, JsonLines));
        writer.Flush();
    }

    /// <summary>A step of a run through grains, where the router reports the loss of every step and the latest throughput.</summary>
    public void Write(long step, double loss)
    {
        writer.WriteLine(JsonSerializer.Serialize(new { step, loss }, JsonLines));
        writer.Flush();
    }

    public void Dispose() => writer.Dispose();

    private static readonly JsonSerializerOptions JsonLines = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
}
