using System.Diagnostics;
using MoeGrains.Abstractions.Domains;
using MoeGrains.Abstractions.Models;
using MoeGrains.Abstractions.Training;
using MoeGrains.Client;
using MoeGrains.Cluster.Tests.Equivalence;
using MoeGrains.Grains.Domains;
using MoeGrains.Grains.Routers;
using MoeGrains.Model.Data;
using MoeGrains.Model.Domains;
using MoeGrains.Model.Training;
using MoeGrains.Storage;

namespace MoeGrains.Cluster.Tests.Domains;

/// <summary>
/// What the domain-expert fault tests share: a briefly trained tiny DEMix trunk, and the check that an expert whose run was
/// disturbed (a killed silo, a drain) committed exactly the weights of an uninterrupted in-process branch.
/// </summary>
internal static class BranchRunChecks
{
    public static readonly ModelSpec Spec = new("tiny", "domain", Seed: 7, Experts: 7);

    /// <summary>Uploads the corpus as "sample", creates <paramref name="name"/> and trains its shared model 4 steps; returns that version.</summary>
    public static async Task<int> TrainSharedAsync(MoeClient client, string name, string corpus)
    {
        await client.UploadDatasetAsync("sample", corpus);
        await client.CreateModelAsync(name, Spec);
        var shared = await (await client.TrainAsync(name, new TrainingRequest("sample", 4, 4, 1e-2, Spec.Seed, CheckpointEvery: 4))).WaitAsync();
        Assert.Equal(TrainingState.Completed, shared.State);
        return (await client.GetModelAsync(name)).Version;
    }

    /// <summary>
    /// Asserts that version <paramref name="version"/> of <paramref name="domain"/>'s expert holds the weights of an
    /// uninterrupted FFN-only branch of <paramref name="request"/>'s steps, batch, learning rate and seed.
    /// </summary>
    public static async Task AssertEqualsUninterruptedAsync(ICheckpointStore store, string corpusFolder, string name, int sharedVersion,
        DomainExpertTrainingRequest request, string domain, int version)
    {
        var config = ModelSpecs.ToConfig(Spec);
        using var shared = await DomainExpertClusterTests.ReadSharedAsync(store, name, config, sharedVersion);
        var corpus = DomainCorpus.Load(corpusFolder);
        var train = TokenizedSplit.Create(corpus, TokenizerFactory.Create(config.Tokenizer), CorpusSplit.Train);
        using var reference = new DomainExpert(domain, DomainExpertWeights.Extract(shared, corpus.DomainId(domain)));
        BranchTraining.Train(reference, train.Stream(domain),
            new TrainingOptions(request.Steps, request.BatchSize, request.LearningRate, Seed: request.Seed), BranchMode.FeedForward);
        var weights = await store.ReadBlobAsync(DomainExpertNames.StoreName(name, domain), version, DomainExpertGrain.WeightsBlob);
        using var committed = DomainMixtureFolder.FromWeights(domain, shared, weights, BranchMode.FeedForward, request.Steps);
        var (a, b) = (committed.Model.state_dict(), reference.Model.state_dict());
        Assert.All(a.Keys, key => Assert.True((a[key] == b[key]).all().item<bool>(), $"{domain}: '{key}' differs from an uninterrupted in-process branch"));
    }

    /// <summary>Polls until the mixture's first version is committed (tolerating the mixture grain's silo dying meanwhile).</summary>
    public static async Task<DomainMixtureStatus> WaitForMixtureAsync(MoeClient client, string name)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var status = await client.GetDomainMixtureAsync(name);
                if (status.Version >= 1) return status;
                Assert.DoesNotContain(status.Training, s => s.State == TrainingState.Failed);
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                // The mixture grain itself may have lived on a killed silo: it answers again once the silo is declared dead.
            }
            if (clock.Elapsed > TimeSpan.FromMinutes(3)) throw new TimeoutException($"The domain experts of '{name}' did not finish within 3 minutes.");
            await Task.Delay(100);
        }
    }
}
