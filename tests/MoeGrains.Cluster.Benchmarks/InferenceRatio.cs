using System.Diagnostics;
using MoeGrains.Abstractions.Inference;
using MoeGrains.Abstractions.Models;
using MoeGrains.Benchmarks;
using MoeGrains.Client;
using MoeGrains.Grains.Routers;
using MoeGrains.Model;
using MoeGrains.Model.Data;
using MoeGrains.Model.Inference;
using static TorchSharp.torch;

namespace MoeGrains.Cluster.Benchmarks;

/// <summary>
/// Scored tokens per second: <see cref="MoeClient.ScoreAsync"/> on one text per domain against
/// <see cref="SequenceScorer.ScoreManyAsync"/> over <see cref="LogitsSource.ForModel"/> of the same (freshly created) model,
/// interleaved; both batch the windows of all texts, several per forward.
/// </summary>
internal static class InferenceRatio
{
    private const int Rounds = 9;

    public static async Task<InferenceResult> MeasureAsync(MoeClient client, Func<ModelSpec, Task<string>> create, string gate)
    {
        var spec = new ModelSpec(BenchSettings.Preset, gate, Seed: BenchSettings.Seed);
        var model = await create(spec);
        var config = ModelSpecs.ToConfig(spec);
        manual_seed(BenchSettings.Seed);
        using var reference = new MoeLanguageModel(config);
        // The router's settings; the in-process model's forward is synchronous, so its forwards still run one after another.
        var scorer = new SequenceScorer(LogitsSource.ForModel(reference), forwardsInFlight: RouterGrain.ScoringForwardsInFlight);
        var tokenizer = TokenizerFactory.Create(config.Tokenizer);
        var texts = BenchSettings.ScoringTexts();

        var cluster = new List<double>();
        var local = new List<double>();
        var difference = 0.0;
        for (var round = 0; round < 1 + Rounds; round++)
        {
            // Alternate who goes first, so that a change in the machine's load favours neither.
            double clusterSeconds, localSeconds;
            IReadOnlyList<TokenScores> remote;
            IReadOnlyList<double[]> scores;
            if (round % 2 == 0)
            {
                (remote, clusterSeconds) = await TimedAsync(() => client.ScoreAsync(model, texts));
                (scores, localSeconds) = await TimedAsync(() => scorer.ScoreManyAsync([.. texts.Select(tokenizer.Encode)]));
            }
            else
            {
                (scores, localSeconds) = await TimedAsync(() => scorer.ScoreManyAsync([.. texts.Select(tokenizer.Encode)]));
                (remote, clusterSeconds) = await TimedAsync(() => client.ScoreAsync(model, texts));
            }
            var tokens = scores.Sum(s => s.Length);
            for (var i = 0; i < texts.Count; i++)
                for (var j = 0; j < scores[i].Length; j++)
                    difference = Math.Max(difference, Math.Abs(scores[i][j] - remote[i].LogProbabilities[j]));
            if (round == 0) continue;
            cluster.Add(tokens / clusterSeconds);
            local.Add(tokens / localSeconds);
        }
        return new InferenceResult(gate, Timing.Median(cluster), Timing.Median(local), difference, LoadAverage.Now());
    }

    private static async Task<(T Result, double Seconds)> TimedAsync<T>(Func<Task<T>> run)
    {
        var clock = Stopwatch.StartNew();
        var result = await run();
        return (result, clock.Elapsed.TotalSeconds);
    }
}
