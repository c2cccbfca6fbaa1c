using MoeGrains.Abstractions.Inference;
using MoeGrains.Abstractions.Models;
using MoeGrains.Abstractions.Training;
using MoeGrains.Grains.Experts;
using MoeGrains.Grains.Routers;
using MoeGrains.Model;
using MoeGrains.Model.Data;
using MoeGrains.Model.Distributed;
using MoeGrains.Model.Evaluation;
using MoeGrains.Model.Inference;
using MoeGrains.Model.Training;
using MoeGrains.Storage;
using static TorchSharp.torch;

namespace MoeGrains.Cluster.Tests.Equivalence;

/// <summary>The distributed model (router grain + expert grains on three silos) agrees with the in-process model.</summary>
public sealed class ClusterEquivalenceTests(ModelClusterFixture fixture) : IClassFixture<ModelClusterFixture>
{
    private const int Seed = 7;
    private const int Steps = 6;
    private const int Batch = 4;
    private const double LearningRate = 1e-2;

    [Theory]
    [InlineData("dense")]
    [InlineData("switch")]
    [InlineData("top2")]
    [InlineData("base")]
    [InlineData("hash")]
    [InlineData("domain")]
    public async Task Training_through_the_grains_matches_the_in_process_model(string gate)
    {
        var name = $"eq-{gate}";
        var spec = new ModelSpec("tiny", gate, Seed: Seed, Experts: gate == "domain" ? 7 : null);
        var created = await fixture.Client.CreateModelAsync(name, spec);
        var handle = await fixture.Client.TrainAsync(name, new TrainingRequest("sample", Steps, Batch, LearningRate, Seed, CheckpointEvery: 3));
        var status = await handle.WaitAsync();

        var config = ModelSpecs.ToConfig(spec);
        var (reference, expectedLosses) = InProcessReference.Train(config, fixture.CorpusFolder, Seed, Steps, Batch, LearningRate);
        using (reference)
        {
            Assert.Equal(TrainingState.Completed, status.State);
            Assert.Equal(Steps, status.Losses.Count);
            for (var i = 0; i < Steps; i++)
                Assert.True(Math.Abs(status.Losses[i] - expectedLosses[i]) <= 1e-5 * Math.Abs(expectedLosses[i]),
                    $"{gate} step {i + 1}: cluster loss {status.Losses[i]:R}, in-process {expectedLosses[i]:R}");

            using var clusterWeights = await ReadCommittedWeightsAsync(name, config);
            var expected = reference.state_dict();
            var worst = 0.0;
            foreach (var (key, value) in expected)
            {
                var actual = clusterWeights.Weights[key];
                worst = Math.Max(worst, (actual - value).abs().max().item<float>());
            }
            Assert.True(worst <= 1e-5, $"{gate}: final weights differ by up to {worst}");
            Assert.True(created.Version >= 1);
        }
    }

    [Theory]
    [InlineData("switch")]
    [InlineData("base")]
    public async Task Evaluation_and_greedy_generation_match_the_in_process_model(string gate)
    {
        var name = $"eval-{gate}";
        var spec = new ModelSpec("tiny", gate, Seed: Seed);
        await fixture.Client.CreateModelAsync(name, spec);
        await (await fixture.Client.TrainAsync(name, new TrainingRequest("sample", Steps, Batch, LearningRate, Seed, CheckpointEvery: Steps))).WaitAsync();
        var config = ModelSpecs.ToConfig(spec);
        var (reference, _) = InProcessReference.Train(config, fixture.CorpusFolder, Seed, Steps, Batch, LearningRate);
        using (reference)
        {
            var clusterReport = await fixture.Client.EvaluateAsync(name, "sample", "valid");
            var valid = TokenizedSplit.Create(DomainCorpus.Load(fixture.CorpusFolder), TokenizerFactory.Create(config.Tokenizer), CorpusSplit.Valid);
            var report = PerplexityEvaluator.Evaluate(reference, valid, 16);
            Assert.Equal(report.Domains.Keys, clusterReport.Domains.Select(d => d.Domain));
            foreach (var domain in clusterReport.Domains)
            {
                var expected = report.Domains[domain.Domain];
                Assert.Equal(expected.Tokens, domain.Tokens);
                Assert.True(Math.Abs(domain.Perplexity - expected.Value) <= 1e-5 * expected.Value, $"{domain.Domain}: {domain.Perplexity} vs {expected.Value}");
            }

            var prompt = "The King said";
            var clusterTokens = new List<int>();
            await foreach (var token in fixture.Client.GenerateAsync(name, new GenerationRequest(prompt, MaxTokens: 16)))
                clusterTokens.Add(token.TokenId);
            var tokenizer = TokenizerFactory.Create(config.Tokenizer);
            var expectedTokens = new List<int>();
            await foreach (var token in new TextGenerator(LogitsSource.ForModel(reference)).GenerateAsync(tokenizer.Encode(prompt), 16))
                expectedTokens.Add(token);
            Assert.Equal(expectedTokens, clusterTokens);
        }
    }

    private async Task<CommittedWeights> ReadCommittedWeightsAsync(string model, ModelConfig config)
    {
        var store = new LocalFolderCheckpointStore(fixture.StoreRoot);
        var version = (await store.LatestVersionAsync(model))!.Value;
        using var router = new RouterShard(config, new TrainingOptions(Steps: 1));
        router.LoadWeights(await store.ReadBlobAsync(model, version, CheckpointPaths.RouterWeights));
        var experts = new Dictionary<ExpertKey, IReadOnlyDictionary<string, Tensor>>();
        foreach (var key in ExpertKey.All(config))
        {
            using var shard = new ExpertShard(key, config, new TrainingOptions(Steps: 1));
            shard.LoadWeights(await store.ReadBlobAsync(model, version, CheckpointPaths.ExpertWeights(key.Layer, key.Expert)));
            experts[key] = shard.StateDict();
        }
        return new CommittedWeights(ModelPartition.Join(router.StateDict(), experts));
    }

    private sealed record CommittedWeights(Dictionary<string, Tensor> Weights) : IDisposable
    {
        public void Dispose()
        {
            foreach (var tensor in Weights.Values) tensor.Dispose();
        }
    }
}
