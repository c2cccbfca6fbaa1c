using MoeGrains.Model.Domains;
using MoeGrains.Model.Tests.Training;
using static TorchSharp.torch;

namespace MoeGrains.Model.Tests.Domains;

public class BranchTrainingTests
{
    [Fact]
    public void An_extracted_expert_computes_what_the_domain_model_computes_for_its_domain()
    {
        using var source = TinyTraining.NewModel(GateKind.Domain, seed: 4);
        using var expert = DomainExpertWeights.Extract(source, 2);
        using var scope = NewDisposeScope();
        var sampler = new MoeGrains.Model.Data.BlockSampler(TinyTraining.Train, source.Config.ContextLength, seed: 4);
        using var batch = sampler.Next(3);
        source.eval();
        expert.eval();
        var expected = source.Forward(batch.Inputs(), full(3, 2L)).Logits;
        var actual = expert.Forward(batch.Inputs(), zeros(3, ScalarType.Int64)).Logits;
        Assert.True((expected == actual).all().item<bool>());
        Assert.Equal(1, expert.Config.Experts);
    }

    [Fact]
    public void Ffn_branch_training_changes_the_ffns_and_leaves_every_shared_weight_bit_identical()
    {
        using var source = TinyTraining.NewModel(GateKind.Domain, seed: 5);
        using var expert = new DomainExpert("code", DomainExpertWeights.Extract(source, 1));
        var before = Snapshot(expert.Model);
        BranchTraining.Train(expert, TinyTraining.Train.Stream("code"), new(8, 4, 1e-2, Seed: 3), BranchMode.FeedForward);
        var after = Snapshot(expert.Model);

        var shared = before.Keys.Where(name => !DomainExpertWeights.IsExpertParameter(name)).ToList();
        var ffn = before.Keys.Where(DomainExpertWeights.IsExpertParameter).ToList();
        Assert.NotEmpty(shared);
        Assert.NotEmpty(ffn);
        Assert.All(shared, name => Assert.Equal(before[name], after[name]));
        Assert.All(ffn, name => Assert.NotEqual(before[name], after[name]));
        Assert.Equal(8, expert.Step);
    }

    [Fact]
    public void Btm_branch_training_updates_the_shared_layers_too()
    {
        using var source = TinyTraining.NewModel(GateKind.Domain, seed: 5);
        using var expert = new DomainExpert("code", DomainExpertWeights.Extract(source, 1));
        var before = Snapshot(expert.Model);
        BranchTraining.Train(expert, TinyTraining.Train.Stream("code"), new(4, 4, 1e-2, Seed: 3), BranchMode.AllParameters);
        var after = Snapshot(expert.Model);
        Assert.NotEqual(before["tokenEmbedding.weight"], after["tokenEmbedding.weight"]);
    }

    [Fact]
    public async Task Branches_trained_concurrently_equal_branches_trained_one_after_another()
    {
        using var source = TinyTraining.NewModel(GateKind.Domain, seed: 6);
        string[] domains = ["biomedical", "code", "religion"];
        var sequential = domains.Select((d, i) => new DomainExpert(d, DomainExpertWeights.Extract(source, i))).ToList();
        var concurrent = domains.Select((d, i) => new DomainExpert(d, DomainExpertWeights.Extract(source, i))).ToList();
        var options = new MoeGrains.Model.Training.TrainingOptions(10, 4, 1e-2, Seed: 9);
        try
        {
            var sequentialLosses = sequential.Select(e => BranchTraining.Train(e, TinyTraining.Train.Stream(e.Domain), options, BranchMode.FeedForward)
                .Select(m => m.Loss).ToList()).ToList();
            var concurrentMetrics = await BranchTraining.TrainConcurrentlyAsync(
                [.. concurrent.Select(e => (e, TinyTraining.Train.Stream(e.Domain)))], options, BranchMode.FeedForward);
            for (var i = 0; i < domains.Length; i++)
            {
                Assert.Equal(sequentialLosses[i], concurrentMetrics[i].Select(m => m.Loss).ToList());
                var (a, b) = (Snapshot(sequential[i].Model), Snapshot(concurrent[i].Model));
                Assert.All(a.Keys, name => Assert.Equal(a[name], b[name]));
            }
            Assert.NotEqual(Snapshot(sequential[0].Model)["blocks.0.moeFeedForward.experts.0.up.weight"],
                Snapshot(sequential[1].Model)["blocks.0.moeFeedForward.experts.0.up.weight"]);
        }
        finally
        {
            foreach (var e in sequential.Concat(concurrent)) e.Dispose();
        }
    }

    [Fact]
    public void A_stored_expert_keeps_only_its_ffns_and_loads_back_bit_identical()
    {
        using var source = TinyTraining.NewModel(GateKind.Domain, seed: 7);
        using var expert = new DomainExpert("code", DomainExpertWeights.Extract(source, 1));
        BranchTraining.Train(expert, TinyTraining.Train.Stream("code"), new(3, 4, 1e-2, Seed: 3), BranchMode.FeedForward);
        var directory = Directory.CreateTempSubdirectory("moe-demix-").FullName;
        try
        {
            var sha = DomainMixtureFolder.SaveShared(directory, source, step: 0);
            DomainMixtureFolder.SaveExpert(directory, expert, BranchMode.FeedForward, sha);
            var stored = new FileInfo(Path.Combine(directory, "experts", "code", "weights.bin")).Length;
            var full = new FileInfo(Path.Combine(directory, "shared", "weights.bin")).Length;
            Assert.True(stored < full / 2, $"the expert stores {stored} bytes; the shared model has {full}");

            using var shared = DomainMixtureFolder.LoadShared(directory);
            using var loaded = DomainMixtureFolder.LoadExpert(directory, "code", shared, sha);
            var (a, b) = (Snapshot(expert.Model), Snapshot(loaded.Model));
            Assert.All(a.Keys, name => Assert.Equal(a[name], b[name]));
            Assert.Equal(3, loaded.Step);

            var error = Assert.Throws<MoeGrains.Model.Checkpoints.CheckpointException>(() => DomainMixtureFolder.LoadExpert(directory, "code", shared, new string('0', 64)));
            Assert.Contains("shared", error.Message);
            File.WriteAllBytes(Path.Combine(directory, "experts", "code", "weights.bin"), new byte[10]);
            Assert.Contains("corrupt", Assert.Throws<MoeGrains.Model.Checkpoints.CheckpointException>(() => DomainMixtureFolder.LoadExpert(directory, "code", shared, sha)).Message);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_branch_resumed_from_its_stored_weights_optimizer_state_and_replayed_data_position_ends_bit_identical_to_an_uninterrupted_one()
    {
        const int steps = 9, interrupted = 4;
        using var source = TinyTraining.NewModel(GateKind.Domain, seed: 8);
        var data = TinyTraining.Train.Stream("code");
        var options = new MoeGrains.Model.Training.TrainingOptions(steps, 4, 1e-2, Seed: 3, Trainable: BranchMode.FeedForward.Trainable());
        using var uninterrupted = new DomainExpert("code", DomainExpertWeights.Extract(source, 1));
        BranchTraining.Train(uninterrupted, data, options, BranchMode.FeedForward);

        byte[] weights, optimizer;
        using (var first = new DomainExpert("code", DomainExpertWeights.Extract(source, 1)))
        using (var trainer = new MoeGrains.Model.Training.Trainer(first.Model, options))
        {
            var sampler = BranchTraining.Sampler(data, source.Config.ContextLength, options.Seed);
            for (var i = 0; i < interrupted; i++)
            {
                using var batch = sampler.Next(options.BatchSize);
                trainer.Step(batch);
            }
            weights = ExpertWeightsFile.Write(DomainExpertWeights.StoredState(first.Model, BranchMode.FeedForward));
            optimizer = trainer.SaveOptimizerState();
        }

        using var resumed = DomainMixtureFolder.FromWeights("code", source, weights, BranchMode.FeedForward, interrupted);
        using (var trainer = new MoeGrains.Model.Training.Trainer(resumed.Model, options))
        {
            trainer.Resume(interrupted, optimizer);
            var sampler = BranchTraining.SamplerAt(data, source.Config.ContextLength, options.Seed, options.BatchSize, interrupted);
            trainer.Run(() => sampler.Next(options.BatchSize));
            Assert.Equal(steps, trainer.CompletedSteps);
        }
        var (expected, actual) = (Snapshot(uninterrupted.Model), Snapshot(resumed.Model));
        Assert.All(expected.Keys, name => Assert.Equal(expected[name], actual[name]));

        using var other = new MoeGrains.Model.Training.Trainer(resumed.Model, options);
        Assert.Contains("the run has 9 steps", Assert.Throws<ArgumentException>(() => other.Resume(steps + 1, optimizer)).Message);
        Assert.Contains("does not fit", Assert.Throws<ArgumentException>(() => other.Resume(1, [1, 2, 3])).Message);
    }

    internal static Dictionary<string, float[]> Snapshot(MoeLanguageModel model) =>
        model.state_dict().ToDictionary(pair => pair.Key, pair => pair.Value.detach().cpu().data<float>().ToArray());
}
