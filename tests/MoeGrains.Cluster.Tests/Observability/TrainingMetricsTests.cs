using MoeGrains.Abstractions.Inference;
using MoeGrains.Abstractions.Models;
using MoeGrains.Abstractions.Training;
using MoeGrains.Cluster.Tests.Equivalence;
using MoeGrains.Diagnostics;
using MoeGrains.Storage;

namespace MoeGrains.Cluster.Tests.Observability;

/// <summary>
/// Training, checkpoints and requests through the grains (three in-process silos) record the MoeGrains instruments with
/// the right tags, and values that agree with each other, with the run's status and with the router's history.
/// </summary>
public sealed class TrainingMetricsTests(ModelClusterFixture fixture) : IClassFixture<ModelClusterFixture>
{
    private const int Steps = 4;
    private const int Batch = 4;
    private const int TokensPerStep = Batch * 32; // tiny: context 32
    private static readonly int[] MoeLayers = [0, 1]; // tiny: both blocks are MoE layers
    private const int Experts = 4;

    [Theory]
    [InlineData("switch", 1)]
    [InlineData("top2", 2)]
    public async Task Training_records_tokens_loss_per_expert_routing_overflow_and_checkpoints(string gate, int topK)
    {
        var name = $"obs-{gate}";
        using var capture = new MetricCapture();
        await fixture.Client.CreateModelAsync(name, new ModelSpec("tiny", gate, Seed: 11));
        var status = await (await fixture.Client.TrainAsync(name, new TrainingRequest("sample", Steps, Batch, 1e-2, 11, CheckpointEvery: 2))).WaitAsync();
        Assert.Equal(TrainingState.Completed, status.State);

        Assert.Equal(Steps * TokensPerStep, capture.Of("moegrains.training.tokens", name).Sum(m => m.Value));
        Assert.Equal(Steps, capture.Of("moegrains.training.steps", name).Sum(m => m.Value));
        var losses = capture.Of("moegrains.training.loss", name).Select(m => m.Value).ToList();
        Assert.Equal(status.Losses.Count, losses.Count);
        for (var i = 0; i < losses.Count; i++) Assert.Equal(status.Losses[i], losses[i], 1e-6);
        Assert.All(capture.Of("moegrains.training.throughput", name), m => Assert.True(m.Value > 0));

        var expertTokens = capture.Of("moegrains.expert.tokens", name);
        var dropped = capture.Of("moegrains.routing.dropped", name);
        var overflow = capture.Of("moegrains.routing.overflow", name);
        Assert.Equal(MoeLayers, expertTokens.Select(m => int.Parse(m.Tag("layer"))).Distinct().Order());
        Assert.Equal(Enumerable.Range(0, Experts), expertTokens.Select(m => int.Parse(m.Tag("expert"))).Distinct().Order());
        foreach (var layer in MoeLayers)
        {
            var layerTokens = expertTokens.Where(m => m.Tag("layer") == layer.ToString()).ToList();
            var layerDropped = dropped.Where(m => m.Tag("layer") == layer.ToString()).Select(m => m.Value).ToList();
            var layerOverflow = overflow.Where(m => m.Tag("layer") == layer.ToString()).Select(m => m.Value).ToList();
            Assert.Equal(Steps * Experts, layerTokens.Count);
            // Every token makes top-k assignments; each is processed by an expert or dropped at capacity.
            Assert.Equal(Steps * TokensPerStep * topK, layerTokens.Sum(m => m.Value) + layerDropped.Sum());
            Assert.Equal(Steps, layerOverflow.Count);
            for (var step = 0; step < Steps; step++)
                Assert.Equal(100.0 * layerDropped[step] / (TokensPerStep * topK), layerOverflow[step], 1e-9);
        }

        var history = await fixture.Client.GetTrainingHistoryAsync(name);
        var run = Assert.Single(history.Runs);
        Assert.Equal(MoeLayers, history.MoeLayers);
        Assert.Equal(status.Losses, run.Losses);
        Assert.Equal(Enumerable.Range(1, Steps).Select(s => (long)s), run.Routing.Select(s => s.Step));
        for (var l = 0; l < MoeLayers.Length; l++)
        {
            var recorded = expertTokens.Where(m => m.Tag("layer") == MoeLayers[l].ToString()).Sum(m => m.Value);
            Assert.Equal(recorded, run.Routing.Sum(s => s.ExpertTokens.Skip(l * Experts).Take(Experts).Sum()));
        }

        // Creation commits v1 (every blob saved, expert blobs loaded); checkpoints every 2 steps commit v2 and v3.
        var saved = capture.Of("moegrains.checkpoint.bytes").Where(m => m.Tag("operation") == CheckpointOperations.Save).ToList();
        var loaded = capture.Of("moegrains.checkpoint.bytes").Where(m => m.Tag("operation") == CheckpointOperations.Load).ToList();
        Assert.True(saved.Count >= 3 * 2 * (1 + MoeLayers.Length * Experts), $"{saved.Count} blob saves");
        Assert.All(saved.Concat(loaded), m => Assert.True(m.Value > 0));
        Assert.True(loaded.Count >= 2 * MoeLayers.Length * Experts, $"{loaded.Count} blob loads");
        Assert.Equal(saved.Count + loaded.Count, capture.Of("moegrains.checkpoint.duration").Count);
        Assert.Equal(2, capture.Of("moegrains.checkpoint.commit.duration", name).Count);
    }

    [Fact]
    public async Task Requests_are_timed_in_the_router_and_at_the_client_with_their_outcome()
    {
        const string name = "obs-requests";
        await fixture.Client.CreateModelAsync(name, new ModelSpec("tiny", "switch", Seed: 3));
        using var capture = new MetricCapture();

        await fixture.Client.EvaluateAsync(name, "sample", "valid");
        await fixture.Client.ScoreAsync(name, ["a short text"]);
        await foreach (var _ in fixture.Client.GenerateAsync(name, new GenerationRequest("The", MaxTokens: 3))) { }
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.EvaluateAsync(name, "sample", "no-such-split"));

        var requests = capture.Of("moegrains.request.duration", name);
        foreach (var side in new[] { MoeMetrics.RouterSide, MoeMetrics.ClientSide })
        {
            var onSide = requests.Where(m => m.Tag("side") == side).ToList();
            Assert.Equal(["evaluate", "evaluate", "generate", "score"], onSide.Select(m => m.Tag("operation")).Order());
            Assert.Equal(["error", "ok", "ok", "ok"], onSide.Select(m => m.Tag("outcome")).Order());
            Assert.All(onSide, m => Assert.True(m.Value > 0));
        }
        // The client's time includes the router's.
        Assert.True(requests.Where(m => m.Tag("side") == MoeMetrics.ClientSide).Sum(m => m.Value)
            >= requests.Where(m => m.Tag("side") == MoeMetrics.RouterSide).Sum(m => m.Value));
    }

    [Fact]
    public void Mixture_weights_are_recorded_per_expert_and_mismatched_lists_are_refused()
    {
        using var capture = new MetricCapture();
        MoeMetrics.RecordMixtureWeights("obs-mixture", ["news", "code"], [0.75, 0.25]);

        var weights = capture.Of("moegrains.mixture.weight", "obs-mixture");
        Assert.Equal([("code", 0.25), ("news", 0.75)], weights.Select(m => (m.Tag("expert"), m.Value)).Order());
        var error = Assert.Throws<ArgumentException>(() => MoeMetrics.RecordMixtureWeights("obs-mixture", ["news"], [0.5, 0.5]));
        Assert.Contains("2 mixture weights for 1 experts", error.Message);
    }
}
