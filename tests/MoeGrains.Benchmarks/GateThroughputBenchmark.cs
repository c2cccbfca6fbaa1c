using MoeGrains.Model;
using MoeGrains.Model.Training;
using static TorchSharp.torch;

namespace MoeGrains.Benchmarks;

/// <summary>
/// Training tokens/s of the <c>small</c> preset for each gate, as a ratio to dense, at equal active FLOPs
/// (top-2 experts are half as wide, since every token visits two). Target ≥ 0.9× dense.
/// </summary>
internal static class GateThroughputBenchmark
{
    private const int BatchSize = 16;

    public static void Run()
    {
        GateKind[] gates = [GateKind.Dense, GateKind.Switch, GateKind.Top2, GateKind.Base, GateKind.Hash];
        var models = new List<MoeLanguageModel>();
        var trainers = new List<Trainer>();
        foreach (var gate in gates)
        {
            manual_seed(5);
            var config = ModelConfig.FromPreset("small", gate, 258);
            if (gate == GateKind.Top2) config = config with { FeedForwardDim = config.FeedForwardDim / 2 };
            var model = new MoeLanguageModel(config);
            models.Add(model);
            trainers.Add(new Trainer(model, new TrainingOptions(Steps: 1000, BatchSize, LearningRate: 1e-3)));
        }
        using var batch = BenchmarkData.FixedBatch(models[0].Config.ContextLength, BatchSize);
        var tokens = batch.Inputs().numel();

        var medians = Timing.Interleaved(warmup: 3, rounds: 12, [.. trainers.Select(t => (Action)(() => t.Step(batch)))]);
        Console.WriteLine($"## Training throughput at small (d=256, 4 layers, 8 experts, seq 128, batch {BatchSize} = {tokens} tokens/step)");
        Console.WriteLine("| gate | tokens/s | ratio to dense | target |");
        Console.WriteLine("|---|---|---|---|");
        for (var i = 0; i < gates.Length; i++)
        {
            var ratio = medians[0] / medians[i];
            var target = i == 0 ? "" : $"≥ 0.9 {(ratio >= 0.9 ? "met" : "MISSED")}";
            Console.WriteLine($"| {GateNames.Name(gates[i])} | {tokens / medians[i]:N0} | {ratio:F3} | {target} |");
        }
        Console.WriteLine();
        foreach (var t in trainers) t.Dispose();
        foreach (var m in models) m.Dispose();
    }
}
