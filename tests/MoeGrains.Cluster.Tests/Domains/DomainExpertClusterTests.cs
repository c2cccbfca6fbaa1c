using System.Diagnostics;
using MoeGrains.Abstractions.Domains;
using MoeGrains.Abstractions.Models;
using MoeGrains.Abstractions.Training;
using MoeGrains.Cluster.Tests.Equivalence;
using MoeGrains.Grains.Domains;
using MoeGrains.Grains.Routers;
using MoeGrains.Model;
using MoeGrains.Model.Data;
using MoeGrains.Model.Distributed;
using MoeGrains.Model.Domains;
using MoeGrains.Model.Training;
using MoeGrains.Storage;

namespace MoeGrains.Cluster.Tests.Domains;

/// <summary>Domain experts through the grains (three silos, a local store) against the in-process library.</summary>
public sealed class DomainExpertClusterTests(ModelClusterFixture fixture) : IClassFixture<ModelClusterFixture>
{
    private const int Seed = 7;
    private static readonly string[] Domains = ["biomedical", "code", "religion"];

    [Fact]
    public async Task Experts_trained_in_parallel_through_grains_equal_in_process_branches_and_so_do_the_mixtures()
    {
        var (name, sharedVersion, config) = await TrainSharedAsync("demix-eq");
        var request = new DomainExpertTrainingRequest("sample", sharedVersion, Steps: 6, BatchSize: 4, LearningRate: 1e-2, Seed: 3, CheckpointEvery: 4);
        var started = await fixture.Client.TrainDomainExpertsAsync(name, Domains, request);
        Assert.Equal(Domains, started.Training.Select(s => s.Expert));
        var status = await WaitForMixtureAsync(name);
        Assert.Equal(1, status.Version);
        // Once committed (by this poll or by the mixture's own timer) the status still reports the training that ended.
        var after = await fixture.Client.GetDomainMixtureAsync(name);
        Assert.Equal(Domains, after.Training.Select(s => s.Expert));
        Assert.All(after.Training, s => Assert.Equal(TrainingState.Completed, s.State));
        Assert.All(after.Training, s => Assert.Equal(2, s.Version)); // step 4 and the end

        var store = new LocalFolderCheckpointStore(fixture.StoreRoot);
        using var shared = await ReadSharedAsync(store, name, config, sharedVersion);
        var corpus = DomainCorpus.Load(fixture.CorpusFolder);
        var tokenizer = TokenizerFactory.Create(config.Tokenizer);
        var train = TokenizedSplit.Create(corpus, tokenizer, CorpusSplit.Train);
        var reference = Domains.Select(d => new DomainExpert(d, DomainExpertWeights.Extract(shared, corpus.DomainId(d)))).ToList();
        try
        {
            foreach (var expert in reference)
                BranchTraining.Train(expert, train.Stream(expert.Domain), new TrainingOptions(6, 4, 1e-2, Seed: 3), BranchMode.FeedForward);
            foreach (var expert in reference)
            {
                var storeName = DomainExpertNames.StoreName(name, expert.Domain);
                var weights = await store.ReadBlobAsync(storeName, 2, DomainExpertGrain.WeightsBlob);
                using var committed = DomainMixtureFolder.FromWeights(expert.Domain, shared, weights, BranchMode.FeedForward, 6);
                var (a, b) = (committed.Model.state_dict(), expert.Model.state_dict());
                Assert.All(a.Keys, key => Assert.True((a[key] == b[key]).all().item<bool>(), $"{expert.Domain}: '{key}' differs from the in-process branch"));
            }

            var valid = TokenizedSplit.Create(corpus, tokenizer, CorpusSplit.Valid);
            var inProcess = await MixtureEvaluator.EvaluateAsync([.. reference.Select(e => e.Scorer())], valid, valid, config.ContextLength, 16, topK: 2);
            var cluster = await fixture.Client.EvaluateMixtureAsync(name, "sample", "valid", topK: 2);
            Assert.Equal(1, cluster.Version);
            Assert.Equal(inProcess.Domains.Select(d => d.Domain), cluster.Domains.Select(d => d.Domain));
            foreach (var (expected, actual) in inProcess.Domains.Zip(cluster.Domains))
            {
                Assert.Equal(expected.Cached.Value, actual.Cached, 9);
                Assert.Equal(expected.Uniform.Value, actual.Uniform, 9);
                Assert.Equal(expected.Updating.Value, actual.Updating, 9);
                Assert.Equal(expected.TopK!.Value, actual.TopK!.Value, 9);
                Assert.All(Domains, d => Assert.Equal(expected.Experts[d].Value, actual.Experts[d], 9));
            }

            var text = corpus.Documents("code", CorpusSplit.Valid)[0][..200];
            var scores = await fixture.Client.ScoreMixtureAsync(name, [text], "updating");
            var mixture = new DomainMixture([.. reference.Select(e => e.Scorer())], new MixtureSettings(PriorMode.Updating));
            var expectedScores = await mixture.ScoreSequenceAsync(tokenizer.Encode(text), config.ContextLength);
            Assert.Equal(expectedScores.Length, scores[0].LogProbabilities.Count);
            for (var i = 0; i < expectedScores.Length; i++) Assert.Equal(expectedScores[i], scores[0].LogProbabilities[i], 9);
        }
        finally
        {
            foreach (var expert in reference) expert.Dispose();
        }
    }

    [Fact]
    public async Task Retire_restore_and_add_commit_new_versions_under_concurrent_scoring_with_zero_failures_and_bad_requests_change_nothing()
    {
        var (name, sharedVersion, _) = await TrainSharedAsync("demix-life");
        var request = new DomainExpertTrainingRequest("sample", sharedVersion, Steps: 2, BatchSize: 2, LearningRate: 1e-2, Seed: 3, CheckpointEvery: 2);
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.TrainDomainExpertsAsync(name, ["code", "law"], new DomainExpertTrainingRequest("sample", sharedVersion, 2)));
        await fixture.Client.TrainDomainExpertsAsync(name, ["code", "religion"], request);
        await WaitForMixtureAsync(name);

        var failures = 0;
        var scored = 0;
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var result = await fixture.Client.ScoreMixtureAsync(name, [$"In the beginning {i} was the word."], "uniform");
                    if (result[0].LogProbabilities.Any(p => !double.IsFinite(p))) Interlocked.Increment(ref failures);
                    Interlocked.Increment(ref scored);
                }
                catch
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();

        await Task.Delay(200);
        var retired = await fixture.Client.RetireExpertAsync(name, "code");
        Assert.Equal(2, retired.Version);
        Assert.Equal(["religion"], retired.Experts);
        Assert.Equal(["code"], retired.Archived);
        var trained = (await fixture.Client.GetDomainMixtureAsync(name)).Training;
        Assert.NotEmpty(trained);
        Assert.Equal(trained, retired.Training); // the reply reports the last training, as the status call does
        var last = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.RetireExpertAsync(name, "religion"));
        Assert.Contains("last one", last.Message);
        Assert.Contains("Unknown expert 'law'", (await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.RetireExpertAsync(name, "law"))).Message);
        Assert.Contains("already has", (await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.TrainDomainExpertsAsync(name, ["wikipedia"], request))).Message);
        await Task.Delay(200);
        var restored = await fixture.Client.RestoreExpertAsync(name, "code");
        Assert.Equal(3, restored.Version);
        Assert.Equal(["religion", "code"], restored.Experts);
        Assert.Equal(trained, restored.Training);
        Assert.Contains("already has an expert", (await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.AddExpertAsync(name, "code", request))).Message);
        var adding = await fixture.Client.AddExpertAsync(name, "wikipedia", request);
        Assert.Equal(3, adding.Version);
        var added = await WaitForMixtureAsync(name, version: 4);
        Assert.Equal(["religion", "code", "wikipedia"], added.Experts);
        await Task.Delay(200);
        stop.Cancel();
        await Task.WhenAll(clients);

        Assert.Equal(0, failures);
        Assert.True(scored >= 8, $"only {scored} scoring requests completed");
        var store = new LocalFolderCheckpointStore(fixture.StoreRoot);
        Assert.Equal(1, await store.LatestVersionAsync(DomainExpertNames.StoreName(name, "code")));
        Assert.Equal(4, (await fixture.Client.GetDomainMixtureAsync(name)).Version);
        Assert.Equal(1, await store.LatestVersionAsync(DomainExpertNames.StoreName(name, "wikipedia")));
    }

    [Fact]
    public async Task Cached_priors_are_estimated_once_stored_in_the_version_manifest_reused_by_evaluation_and_dropped_when_the_expert_set_changes()
    {
        var (name, sharedVersion, _) = await TrainSharedAsync("demix-prior");
        var request = new DomainExpertTrainingRequest("sample", sharedVersion, Steps: 2, BatchSize: 2, LearningRate: 1e-2, Seed: 3, CheckpointEvery: 2);
        await fixture.Client.TrainDomainExpertsAsync(name, ["code", "religion"], request);
        await WaitForMixtureAsync(name);
        var store = new LocalFolderCheckpointStore(fixture.StoreRoot);
        var manifests = $"{name}.mixture";

        var first = await fixture.Client.EstimateMixturePriorsAsync(name, "sample", "valid", blocks: 8);
        Assert.Equal(1, first.Version);
        Assert.Equal(["code", "religion"], first.Experts);
        Assert.Equal(7, first.Estimated.Count);
        Assert.Equal(first.Priors.Keys.Order(), first.Estimated.Order());
        Assert.All(first.Priors.Values, prior => Assert.Equal(1.0, prior.Values.Sum(), 9));
        var stored = await ReadManifestAsync(store, manifests);
        Assert.Equal(1, stored.Version);
        foreach (var (domain, prior) in first.Priors)
            Assert.All(prior, weight => Assert.Equal(weight.Value, stored.CachedPriors[domain][weight.Key]));

        var committed = await store.LatestVersionAsync(manifests);
        var again = await fixture.Client.EstimateMixturePriorsAsync(name, "sample", "valid", blocks: 8);
        Assert.Empty(again.Estimated);
        Assert.Equal(committed, await store.LatestVersionAsync(manifests));
        foreach (var (domain, prior) in first.Priors)
            Assert.All(prior, weight => Assert.Equal(weight.Value, again.Priors[domain][weight.Key]));
        var evaluation = await fixture.Client.EvaluateMixtureAsync(name, "sample", "valid", topK: 1);
        Assert.All(evaluation.Domains, d => Assert.Equal(first.Priors[d.Domain]["code"], d.Prior["code"]));
        Assert.Equal(committed, await store.LatestVersionAsync(manifests));

        var retired = await fixture.Client.RetireExpertAsync(name, "code");
        Assert.Empty((await ReadManifestAsync(store, manifests)).CachedPriors);
        var after = await fixture.Client.EstimateMixturePriorsAsync(name, "sample", "valid", blocks: 8);
        Assert.Equal(retired.Version, after.Version);
        Assert.Equal(7, after.Estimated.Count);
        Assert.All(after.Priors.Values, prior => Assert.Equal(1.0, prior["religion"], 12));

        // Adding an expert re-estimates every prior the version had (and the new domain's) with the new expert set.
        await fixture.Client.AddExpertAsync(name, "wikipedia", request);
        var added = await WaitForMixtureAsync(name, version: after.Version + 1);
        Assert.Equal(["religion", "wikipedia"], added.Experts);
        var refreshed = await ReadManifestAsync(store, manifests);
        Assert.Equal(added.Version, refreshed.Version);
        Assert.Equal(after.Priors.Keys.Order(), refreshed.CachedPriors.Keys.Order());
        Assert.All(refreshed.CachedPriors.Values, prior => Assert.Equal(["religion", "wikipedia"], prior.Keys.Order()));
        Assert.All(refreshed.CachedPriors.Values, prior => Assert.Equal(1.0, prior.Values.Sum(), 9));
        Assert.Empty((await fixture.Client.EstimateMixturePriorsAsync(name, "sample", "valid", blocks: 8)).Estimated);

        Assert.Contains("at least one block", (await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.EstimateMixturePriorsAsync(name, "sample", "valid", blocks: 0))).Message);
        Assert.Contains("Unknown split 'train'", (await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.EstimateMixturePriorsAsync(name, "sample", "train", blocks: 8))).Message);
    }

    private static async Task<MixtureManifest> ReadManifestAsync(ICheckpointStore store, string manifests)
    {
        var latest = (await store.LatestVersionAsync(manifests))!.Value;
        var json = await store.ReadBlobAsync(manifests, latest, MoeGrains.Storage.Layout.CheckpointLayout.Domain("mixture.json"));
        return MixtureManifest.FromJson(System.Text.Encoding.UTF8.GetString(json));
    }

    private async Task<(string Name, int SharedVersion, ModelConfig Config)> TrainSharedAsync(string name)
    {
        var spec = new ModelSpec("tiny", "domain", Seed: Seed, Experts: 7);
        await fixture.Client.CreateModelAsync(name, spec);
        var status = await (await fixture.Client.TrainAsync(name, new TrainingRequest("sample", 4, 4, 1e-2, Seed, CheckpointEvery: 4))).WaitAsync();
        Assert.Equal(TrainingState.Completed, status.State);
        var info = await fixture.Client.GetModelAsync(name);
        return (name, info.Version, ModelSpecs.ToConfig(spec));
    }

    private async Task<DomainMixtureStatus> WaitForMixtureAsync(string name, int version = 1)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = await fixture.Client.GetDomainMixtureAsync(name);
            if (status.Version >= version) return status;
            Assert.DoesNotContain(status.Training, s => s.State == TrainingState.Failed);
            if (clock.Elapsed > TimeSpan.FromMinutes(5)) throw new TimeoutException($"The domain experts of '{name}' did not finish in 5 minutes.");
            await Task.Delay(100);
        }
    }

    internal static async Task<MoeLanguageModel> ReadSharedAsync(ICheckpointStore store, string name, ModelConfig config, int version)
    {
        var model = new MoeLanguageModel(config);
        using var router = new RouterShard(config, new TrainingOptions(Steps: 1));
        router.LoadWeights(await store.ReadBlobAsync(name, version, MoeGrains.Grains.Experts.CheckpointPaths.RouterWeights));
        var experts = new Dictionary<ExpertKey, IReadOnlyDictionary<string, TorchSharp.torch.Tensor>>();
        foreach (var key in ExpertKey.All(config))
        {
            using var shard = new ExpertShard(key, config, new TrainingOptions(Steps: 1));
            shard.LoadWeights(await store.ReadBlobAsync(name, version, MoeGrains.Grains.Experts.CheckpointPaths.ExpertWeights(key.Layer, key.Expert)));
            experts[key] = shard.StateDict();
        }
        using var partition = ModelPartition.Split(ModelPartition.Join(router.StateDict(), experts));
        partition.LoadInto(model);
        return model;
    }
}
