using System.Diagnostics;
using MoeGrains.Abstractions.Models;
using MoeGrains.Abstractions.Training;
using MoeGrains.Benchmarks;
using MoeGrains.Client;
using MoeGrains.Grains.Routers;
using MoeGrains.Model;
using MoeGrains.Model.Data;
using MoeGrains.Model.Training;
using static TorchSharp.torch;

namespace MoeGrains.Cluster.Benchmarks;

/// <summary>
/// Training seconds per step through the grains (router + expert grains, driven by <see cref="MoeClient.TrainAsync"/>)
/// against <see cref="Trainer.Step"/> on the same model, batches and cores, interleaved round by round. A cluster round
/// is one run of 1 + N steps: the time from step 1's end to step 1 + N's end, read by polling the status every 10 ms
/// (the status call queues behind the step in progress, so it answers as the step ends); the run's closing checkpoint
/// is not timed. An in-process round is the same 1 + N batches (the run's sampler restarts each run), the last N timed.
/// </summary>
internal static class TrainingRatio
{
    public static async Task<TrainingResult> MeasureAsync(MoeClient client, Func<ModelSpec, Task<string>> create, string gate)
    {
        var spec = new ModelSpec(BenchSettings.Preset, gate, Seed: BenchSettings.Seed);
        var model = await create(spec);
        var config = ModelSpecs.ToConfig(spec);
        manual_seed(BenchSettings.Seed);
        using var reference = new MoeLanguageModel(config);
        using var trainer = new Trainer(reference, new TrainingOptions(Steps: 1000, BatchSize: BenchSettings.Batch, LearningRate: BenchSettings.LearningRate, Seed: BenchSettings.Seed));

        var cluster = new List<double>();
        var local = new List<double>();
        for (var round = 0; round < BenchSettings.WarmupRounds + BenchSettings.Rounds; round++)
        {
            var c = await ClusterRoundAsync(client, model);
            var l = InProcessRound(trainer, config.ContextLength);
            if (round < BenchSettings.WarmupRounds) continue;
            cluster.Add(c);
            local.Add(l);
            Console.Error.WriteLine($"  {model} round {round}: cluster {c * 1e3:F0} ms/step, in-process {l * 1e3:F0} ms/step");
        }
        return new TrainingResult(gate, Timing.Median(cluster), Timing.Median(local), BenchSettings.Batch * config.ContextLength, LoadAverage.Now());
    }

    private static async Task<double> ClusterRoundAsync(MoeClient client, string model)
    {
        var steps = BenchSettings.StepsPerRound + 1;
        var handle = await client.TrainAsync(model, new TrainingRequest("sample", steps, BenchSettings.Batch, BenchSettings.LearningRate,
            BenchSettings.Seed, CheckpointEvery: steps));
        var clock = Stopwatch.StartNew();
        TimeSpan? first = null;
        while (true)
        {
            var status = await handle.GetStatusAsync();
            if (status.State is TrainingState.Failed or TrainingState.Cancelled)
                throw new InvalidOperationException($"Training {model} ended {status.State}: {status.Error}");
            if (first is null && status.Step >= 1)
            {
                if (status.Step > 1) throw new InvalidOperationException("Polling missed the end of step 1.");
                first = clock.Elapsed;
            }
            if (status.Step >= steps) break;
            await Task.Delay(10);
        }
        var seconds = (clock.Elapsed - first!.Value).TotalSeconds / BenchSettings.StepsPerRound;
        await handle.WaitAsync(); // the closing checkpoint, untimed
        return seconds;
    }

    private static double InProcessRound(Trainer trainer, int contextLength)
    {
        var sampler = new BlockSampler(BenchSettings.Train, contextLength, BenchSettings.Seed);
        using (var first = sampler.Next(BenchSettings.Batch)) trainer.Step(first);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < BenchSettings.StepsPerRound; i++)
        {
            using var batch = sampler.Next(BenchSettings.Batch);
            trainer.Step(batch);
        }
        return clock.Elapsed.TotalSeconds / BenchSettings.StepsPerRound;
    }
}
