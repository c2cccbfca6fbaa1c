using MoeGrains.Model;
using MoeGrains.Model.Data;
using MoeGrains.Model.Training;
using static TorchSharp.torch;

namespace MoeGrains.Benchmarks;

/// <summary>
/// A <c>moe train</c> step (<see cref="Trainer.Step"/>: schedule, clipping, metrics) against a minimal hand-written
/// TorchSharp loop (forward, loss, backward, AdamW) of the same model and batch. Target ≥ 0.95.
/// The gate-specific costs are in <see cref="GateThroughputBenchmark"/>.
/// </summary>
internal static class TrainerOverheadBenchmark
{
    private const int BatchSize = 16;

    public static void Run()
    {
        // Dense: a MoE gate would route differently as the two copies' weights drift apart (the trainer warms its
        // learning rate up, the minimal loop does not), and unequal token drops would be measured as overhead.
        var config = ModelConfig.FromPreset("small", GateKind.Dense, 258);
        manual_seed(9);
        using var trainedModel = new MoeLanguageModel(config);
        manual_seed(9);
        using var handModel = new MoeLanguageModel(config);
        using var trainer = new Trainer(trainedModel, new TrainingOptions(Steps: 1000, BatchSize, LearningRate: 1e-3));
        using var optimizer = optim.AdamW(handModel.parameters(), 1e-3);
        using var batch = BenchmarkData.FixedBatch(config.ContextLength, BatchSize);

        void HandWrittenStep(Batch b)
        {
            using var scope = NewDisposeScope();
            handModel.train();
            optimizer.zero_grad();
            var output = handModel.Forward(b.Inputs(), b.Domains);
            var loss = MoeLanguageModel.LanguageModelLoss(output.Logits, b.Targets()) + config.AuxLossWeight * output.AuxLoss;
            loss.backward();
            optimizer.step();
        }

        manual_seed(9);
        using var unclippedModel = new MoeLanguageModel(config);
        using var unclipped = new Trainer(unclippedModel, new TrainingOptions(Steps: 1000, BatchSize, LearningRate: 1e-3, ClipNorm: 0));

        var medians = Timing.Interleaved(warmup: 2, rounds: 10, () => trainer.Step(batch), () => HandWrittenStep(batch), () => unclipped.Step(batch));
        var ratio = medians[1] / medians[0];
        var unclippedRatio = medians[1] / medians[2];
        Console.WriteLine("## Trainer overhead at small/dense (moe train step vs a hand-written TorchSharp loop, same model and batch)");
        Console.WriteLine("| trainer step ms | hand-written step ms | throughput ratio | target | trainer without clipping ms | ratio |");
        Console.WriteLine("|---|---|---|---|---|---|");
        Console.WriteLine($"| {medians[0] * 1e3:F1} | {medians[1] * 1e3:F1} | {ratio:F3} | ≥ 0.95 {(ratio >= 0.95 ? "met" : "MISSED")} | {medians[2] * 1e3:F1} | {unclippedRatio:F3} |");
        Console.WriteLine();
    }
}
