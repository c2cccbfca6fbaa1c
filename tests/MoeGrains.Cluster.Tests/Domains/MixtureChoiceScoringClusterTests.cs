using System.Diagnostics;
using MoeGrains.Abstractions.Domains;
using MoeGrains.Abstractions.Inference;
using MoeGrains.Abstractions.Models;
using MoeGrains.Abstractions.Training;
using MoeGrains.Cluster.Tests.Equivalence;
using MoeGrains.Grains.Domains;
using MoeGrains.Grains.Routers;
using MoeGrains.Model.Data;
using MoeGrains.Model.Domains;
using MoeGrains.Model.Scoring;
using MoeGrains.Storage;

namespace MoeGrains.Cluster.Tests.Domains;

/// <summary>Multiple-choice scoring over the mixture grain (three silos, a local store) against the in-process mixture scorer.</summary>
public sealed class MixtureChoiceScoringClusterTests(ModelClusterFixture fixture) : IClassFixture<ModelClusterFixture>
{
    private const int Seed = 9;
    private static readonly string[] Domains = ["biomedical", "code", "religion"];

    private static readonly ChoiceItem[] Items =
    [
        new("The man broke his toe", [" he dropped a hammer.", " he got a hole in his sock."], 0, " because", "religion", Line: 1),
        new("I tipped the bottle so", [" the liquid froze.", " the liquid poured out."], 1, " so", "religion", Line: 2),
        new("def main():", ["\n    return 0", " banana"], 0, ":", "code", Line: 3),
        new("for i in range(10):", ["\n    print(i)", " the cat sat"], 0, ":", "code", Line: 4),
        new("The patients received", [" a placebo.", " a keyboard."], 0, " the", "biomedical", Line: 5),
    ];

    [Fact]
    public async Task Mixture_scoring_through_the_grain_equals_the_in_process_mixture_scorer_for_every_mixture_and_method()
    {
        const string name = "demix-choices";
        var spec = new ModelSpec("tiny", "domain", Seed: Seed, Experts: 7);
        await fixture.Client.CreateModelAsync(name, spec);
        var shared = await (await fixture.Client.TrainAsync(name, new TrainingRequest("sample", 4, 4, 1e-2, Seed, CheckpointEvery: 4))).WaitAsync();
        Assert.Equal(TrainingState.Completed, shared.State);
        var sharedVersion = (await fixture.Client.GetModelAsync(name)).Version;
        var task = new ChoiceScoringRequest([.. Items.Select(i => new MultipleChoiceItem(i.Context, i.Choices, i.Label, i.DomainPremise, i.Domain, i.Line))],
            [.. ScoringMethods.All.Select(m => m.Name())], Seed: 4);
        var none = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.ScoreChoicesOverMixtureAsync(name, new MixtureChoiceScoringRequest(task, "uniform")));
        Assert.Contains("has no mixture of domain experts", none.Message);

        await fixture.Client.TrainDomainExpertsAsync(name, Domains,
            new DomainExpertTrainingRequest("sample", sharedVersion, Steps: 4, BatchSize: 4, LearningRate: 1e-2, Seed: 3, CheckpointEvery: 4));
        var status = await WaitForMixtureAsync(name);

        var config = ModelSpecs.ToConfig(spec);
        var store = new LocalFolderCheckpointStore(fixture.StoreRoot);
        using var sharedModel = await DomainExpertClusterTests.ReadSharedAsync(store, name, config, sharedVersion);
        var reference = new List<DomainExpert>();
        try
        {
            foreach (var expert in status.Training)
            {
                var weights = await store.ReadBlobAsync(DomainExpertNames.StoreName(name, expert.Expert), expert.Version, DomainExpertGrain.WeightsBlob);
                reference.Add(DomainMixtureFolder.FromWeights(expert.Expert, sharedModel, weights, BranchMode.FeedForward, 4));
            }
            var scorers = reference.Select(e => e.Scorer()).ToArray();
            var tokenizer = TokenizerFactory.Create(config.Tokenizer);
            var valid = TokenizedSplit.Create(DomainCorpus.Load(fixture.CorpusFolder), tokenizer, CorpusSplit.Valid);
            var manifest = MixtureManifest.First("in-process", Domains);
            var noDataset = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.ScoreChoicesOverMixtureAsync(name, new MixtureChoiceScoringRequest(task, "cached")));
            Assert.Contains("no cached prior for domain 'religion'", noDataset.Message);

            MixtureChoiceScoringResult? cached = null;
            foreach (var mixture in new[] { "uniform", "cached", "topk:2" })
            {
                var result = await fixture.Client.ScoreChoicesOverMixtureAsync(name, new MixtureChoiceScoringRequest(task, mixture, "sample"));
                if (mixture == "cached") cached = result;
                var priors = new CachedPriorSource(scorers, manifest, valid, config.ContextLength);
                var inProcess = new MixtureChoiceScorer(scorers, MixtureSettings.Parse(mixture), tokenizer, config.ContextLength, config.VocabularySize, priors.GetAsync);
                var expected = await inProcess.EvaluateAsync(Items, ScoringMethods.All, seed: 4);

                Assert.Equal(1, result.Version);
                Assert.Equal(Domains, result.Experts);
                Assert.Equal(expected.Select(e => e.Method.Name()), result.Methods.Select(m => m.Method));
                for (var m = 0; m < expected.Count; m++)
                {
                    Assert.Equal(expected[m].Predictions, result.Methods[m].Predictions);
                    Assert.Equal((expected[m].Accuracy, expected[m].Low, expected[m].High, expected[m].Count),
                        (result.Methods[m].Accuracy, result.Methods[m].Low, result.Methods[m].High, result.Methods[m].Count));
                }
                Assert.Equal(inProcess.PriorsUsed.Keys.Order(), result.Priors.Keys.Order());
                foreach (var (domain, prior) in inProcess.PriorsUsed)
                for (var e = 0; e < Domains.Length; e++)
                    Assert.True(Math.Abs(prior[e] - result.Priors[domain][Domains[e]]) <= 1e-6,
                        $"{mixture}, {domain}, {Domains[e]}: {prior[e]} in process vs {result.Priors[domain][Domains[e]]} in the cluster");
            }

            // The priors the cached scoring estimated were stored in version 1: scoring again needs no dataset and uses them.
            var again = await fixture.Client.ScoreChoicesOverMixtureAsync(name, new MixtureChoiceScoringRequest(task, "cached"));
            Assert.Equal(1, again.Version);
            Assert.Equal(cached!.Methods.Select(m => m.Predictions), again.Methods.Select(m => m.Predictions));
            Assert.Equal(cached.Priors.Keys.Order(), again.Priors.Keys.Order());
            foreach (var (domain, prior) in cached.Priors) Assert.Equal(prior, again.Priors[domain]);
            var updating = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.ScoreChoicesOverMixtureAsync(name, new MixtureChoiceScoringRequest(task, "updating")));
            Assert.Contains("uniform, cached or topk:K", updating.Message);
            var unlabelled = task with { Items = [.. task.Items.Take(1), task.Items[1] with { Label = null }] };
            Assert.Contains("line 2: the item has no label",
                (await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.ScoreChoicesOverMixtureAsync(name, new MixtureChoiceScoringRequest(unlabelled, "uniform")))).Message);
        }
        finally
        {
            foreach (var expert in reference) expert.Dispose();
        }
    }

    private async Task<DomainMixtureStatus> WaitForMixtureAsync(string name)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = await fixture.Client.GetDomainMixtureAsync(name);
            if (status.Version >= 1) return status;
            Assert.DoesNotContain(status.Training, s => s.State == TrainingState.Failed);
            if (clock.Elapsed > TimeSpan.FromMinutes(5)) throw new TimeoutException($"The domain experts of '{name}' did not finish in 5 minutes.");
            await Task.Delay(100);
        }
    }
}
