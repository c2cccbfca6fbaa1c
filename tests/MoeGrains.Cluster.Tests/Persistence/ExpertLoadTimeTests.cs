using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MoeGrains.Abstractions.Experts;
using MoeGrains.Abstractions.Models;
using MoeGrains.Abstractions.Training;
using MoeGrains.Cluster.Tests.Equivalence;
using MoeGrains.Grains.Experts;
using MoeGrains.Grains.Routers;
using MoeGrains.Model;
using MoeGrains.Model.Distributed;
using MoeGrains.Storage;
using Orleans.Configuration;
using Xunit.Abstractions;

namespace MoeGrains.Cluster.Tests.Persistence;

/// <summary>
/// How long an expert takes to activate (read weights + Adam state from the store, load them) against the activation timeout.
/// </summary>
/// <remarks>
/// A checkpoint big enough to take 30 s (Orleans' default <c>GrainCollectionOptions.ActivationTimeout</c>) would be gigabytes and
/// blow the test budget, and <see cref="ModelSpec"/> has no FeedForwardDim override. So this test activates the 8 experts of a
/// <c>small</c> model (256×1024 FFN, about 6 MB of weights and optimizer state each), measures the load throughput, and asserts
/// that the configured timeout covers an expert of the largest preset (<c>base</c>, 512×2048) at that throughput with a
/// 10× margin. The measured figures are printed.
/// </remarks>
public sealed class ExpertLoadTimeTests(ModelClusterFixture fixture, ITestOutputHelper output) : IClassFixture<ModelClusterFixture>
{
    private const double Margin = 10;

    [Fact]
    public async Task The_configured_activation_timeout_covers_loading_the_largest_preset_expert_with_a_wide_margin()
    {
        const string model = "weighty";
        var spec = new ModelSpec("small", "switch", Seed: 3, Experts: 8, MoeEvery: 4); // one MoE layer of 8 experts
        await fixture.Client.CreateModelAsync(model, spec);
        var status = await (await fixture.Client.TrainAsync(model, new TrainingRequest("sample", 1, 1, 1e-3, 3, CheckpointEvery: 1))).WaitAsync();
        Assert.True(status.State == TrainingState.Completed, $"training ended {status.State}: {status.Error}"); // the optimizer state is now full-size

        var store = new LocalFolderCheckpointStore(fixture.StoreRoot);
        var version = (await store.LatestVersionAsync(model))!.Value;
        var manifest = await store.ReadManifestAsync(model, version);
        var config = ModelSpecs.ToConfig(spec);
        var experts = ExpertKey.All(config);
        Assert.Equal(8, experts.Count);

        var loads = new List<(ExpertKey Key, long Bytes, TimeSpan Time)>();
        foreach (var key in experts)
        {
            var grain = fixture.Cluster.Client.GetGrain<IExpertGrain>(new ExpertId(model, key.Layer, key.Expert).Key);
            await fixture.Cluster.DeactivateAsync(grain);
            var clock = Stopwatch.StartNew();
            var info = await grain.GetInfoAsync(); // activates: reads and loads the latest committed version
            clock.Stop();
            Assert.Equal((int)version, info.Version);
            var bytes = manifest.Blobs.Where(b => b.Path == CheckpointPaths.ExpertWeights(key.Layer, key.Expert) || b.Path == CheckpointPaths.ExpertOptimizer(key.Layer, key.Expert)).Sum(b => b.Size);
            loads.Add((key, bytes, clock.Elapsed));
        }

        var slowest = loads.Max(l => l.Time);
        var perExpertBytes = loads[0].Bytes;
        var throughput = loads.Sum(l => l.Bytes) / loads.Sum(l => l.Time.TotalSeconds);
        var largest = ModelConfig.FromPreset("base", config.Gate, config.VocabularySize);
        var largestBytes = perExpertBytes * (double)FfnParameters(largest) / FfnParameters(config);
        var largestTime = TimeSpan.FromSeconds(largestBytes / throughput);
        var timeout = fixture.Cluster.Silos[1].SiloHost.Services.GetRequiredService<IOptions<GrainCollectionOptions>>().Value.ActivationTimeout;
        output.WriteLine($"small expert: {perExpertBytes / 1e6:F1} MB (weights + Adam state); activation incl. load: " +
            $"{string.Join(", ", loads.Select(l => $"{l.Time.TotalMilliseconds:F0}"))} ms; slowest {slowest.TotalMilliseconds:F0} ms; {throughput / 1e6:F0} MB/s");
        output.WriteLine($"base expert: {largestBytes / 1e6:F1} MB, about {largestTime.TotalMilliseconds:F0} ms at that rate; activation timeout {timeout}");

        Assert.True(perExpertBytes > 4_000_000, $"a small expert's checkpoint is only {perExpertBytes} bytes: the optimizer state was not saved");
        Assert.Equal(TimeSpan.FromMinutes(2), timeout); // MoeGrainsTimeoutOptions' default, not Orleans' 30 s
        Assert.True(slowest * Margin < timeout, $"the slowest small expert took {slowest}; {Margin}× that exceeds the activation timeout {timeout}");
        Assert.True(largestTime * Margin < timeout, $"a base expert would take about {largestTime} at {throughput / 1e6:F0} MB/s; {Margin}× that exceeds {timeout}");
    }

    private static long FfnParameters(ModelConfig config) => 2L * config.ModelDim * config.FeedForwardDim + config.ModelDim + config.FeedForwardDim;
}
