using System.Diagnostics;
using MoeGrains.Abstractions.Domains;
using MoeGrains.Abstractions.Training;
using MoeGrains.Client;
using MoeGrains.Cluster.Tests.Domains;
using MoeGrains.Cluster.Tests.Equivalence;
using MoeGrains.Cluster.Tests.Observability;
using MoeGrains.Cluster.Tests.Placement;
using MoeGrains.Diagnostics;
using MoeGrains.Grains.Domains;
using MoeGrains.Testing;
using Orleans.TestingHost;
using Xunit.Abstractions;

namespace MoeGrains.Cluster.Tests.Outage;

/// <summary>
/// Azurite stopped while a domain expert branch-trains: its next checkpoint fails, the expert waits at that step reporting the
/// error and writes the checkpoint again from memory with back-off; when Azurite returns the run goes on — no step redone,
/// no resume — and ends bit-identical to an uninterrupted branch, every committed version verifying.
/// </summary>
public sealed class DomainExpertOutageTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private const int Steps = 120;
    private const int Every = 40;
    private const string Domain = "religion";
    private const string Container = "demix-outage";
    private static readonly TimeSpan OutageLength = TimeSpan.FromSeconds(4);
    private readonly string root = Directory.CreateTempSubdirectory("moe-demix-outage-").FullName;
    private InProcessTestCluster cluster = null!;

    public async Task InitializeAsync() => cluster = await ExpertTestCluster.StartAsync(Silo(0), Silo(64));

    public async Task DisposeAsync()
    {
        await cluster.DisposeAsync();
        await azurite.StartAsync(); // for the next test of the fixture, had this one failed while Azurite was down
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task Stopping_azurite_during_a_domain_experts_checkpoint_reports_the_outage_retries_the_checkpoint_and_ends_bit_identical()
    {
        var client = new MoeClient(cluster.Client);
        const string name = "demix-outage";
        var corpus = TestCorpus.WriteShortValid(Path.Combine(root, "corpus"));
        var sharedVersion = await BranchRunChecks.TrainSharedAsync(client, name, corpus);

        using var steps = new MetricCapture();
        var request = new DomainExpertTrainingRequest("sample", sharedVersion, Steps, BatchSize: 4, LearningRate: 1e-2, Seed: 3, CheckpointEvery: Every);
        await client.TrainDomainExpertsAsync(name, [Domain], request);

        var clock = Stopwatch.StartNew();
        TimeSpan? stoppedAt = null, outageSeenAt = null;
        DomainExpertStatus? during = null;
        while (during is null)
        {
            var expert = (await client.GetDomainMixtureAsync(name)).Training.Single();
            Assert.True(expert.State == TrainingState.Running, $"the expert is {expert.State} at step {expert.Step} ({expert.Error}) before the outage ended");
            if (stoppedAt is null && expert.Step >= 1)
            {
                await azurite.StopAsync();
                stoppedAt = clock.Elapsed;
            }
            if (stoppedAt is not null && expert.Error is not null) outageSeenAt ??= clock.Elapsed;
            if (outageSeenAt is { } seen && clock.Elapsed - seen > OutageLength) during = expert;
            if (clock.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException("The expert never reported the storage outage.");
            await Task.Delay(10);
        }
        await azurite.StartAsync();
        var restartedAt = clock.Elapsed;
        var final = await BranchRunChecks.WaitForMixtureAsync(client, name);
        var ended = final.Training.Single();
        output.WriteLine($"Azurite stopped at {stoppedAt?.TotalSeconds:F1} s, outage reported at {outageSeenAt?.TotalSeconds:F1} s, restarted at " +
            $"{restartedAt.TotalSeconds:F1} s; during the outage: step {during.Step}, v{during.Version}, error: {during.Error}; " +
            $"mixture committed at {clock.Elapsed.TotalSeconds:F1} s; expert step {ended.Step}, v{ended.Version}, {ended.Resumes} resume(s)");

        Assert.True(during.Step % Every == 0 && during.Step > 0, $"the expert should wait at a checkpoint during the outage, not at step {during.Step}");
        Assert.Equal(during.Step / Every - 1, during.Version); // the versions before that checkpoint stay committed
        Assert.Equal(TrainingState.Completed, ended.State);
        Assert.Null(ended.Error);
        Assert.Equal(0, ended.Resumes); // retried from memory: no rollback to the last checkpoint
        Assert.Equal(Steps, ended.Step);
        Assert.Equal(Steps / Every, ended.Version);
        var executed = steps.Of(MoeMetrics.TrainingSteps.Name, DomainExpertNames.StoreName(name, Domain)).Sum(m => m.Value);
        Assert.Equal(Steps, executed);

        var store = AzuriteCheckpoints.Store(azurite, Container);
        var expertStore = DomainExpertNames.StoreName(name, Domain);
        Assert.Equal([1L, 2, 3], await store.ListVersionsAsync(expertStore));
        foreach (var version in new long[] { 1, 2, 3 }) await store.VerifyAsync(expertStore, version);
        await BranchRunChecks.AssertEqualsUninterruptedAsync(store, corpus, name, sharedVersion, request, Domain, ended.Version);
    }

    /// <summary>The expert backs off 0.2 s doubling to 2 s, and keeps trying far longer than the outage lasts.</summary>
    private Dictionary<string, string?> Silo(int expertSlots)
    {
        var settings = AzuriteCheckpoints.Silo(azurite, Container, expertSlots);
        settings["MoeGrains:DomainExperts:InitialBackoff"] = "00:00:00.2";
        settings["MoeGrains:DomainExperts:MaxBackoff"] = "00:00:02";
        settings["MoeGrains:DomainExperts:MaxConsecutiveFailures"] = "40";
        return settings;
    }
}
