using System.Diagnostics;
using MoeGrains.Abstractions.Domains;
using MoeGrains.Abstractions.Training;
using MoeGrains.Client;
using MoeGrains.Cluster.Tests.Equivalence;
using MoeGrains.Cluster.Tests.Observability;
using MoeGrains.Cluster.Tests.Placement;
using MoeGrains.Diagnostics;
using MoeGrains.Storage;
using Orleans.TestingHost;
using Xunit.Abstractions;

namespace MoeGrains.Cluster.Tests.Domains;

/// <summary>
/// An expert silo dies while domain experts branch-train: the lost expert re-activates on the other expert silo (the
/// mixture's polling re-activates it), resumes from its last committed checkpoint and the mixture still commits its first
/// version. Grain state is in JSON files so that it outlives the killed silo; failure detection is tuned as in
/// <see cref="Persistence.SiloLossTests"/>.
/// </summary>
public sealed class DomainExpertSiloLossTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Steps = 60;
    private const int CheckpointEvery = 8;
    private static readonly string[] Domains = ["code", "religion"];
    private FileBackedCluster files = null!;

    private InProcessTestCluster Cluster => files.Cluster;

    private string Corpus => files.Corpus;

    public async Task InitializeAsync()
    {
        // The mixture polls its experts often, so it re-activates the lost one soon after the silo is declared dead.
        files = await FileBackedCluster.StartAsync("moe-demix-loss-", 3, [0, 64, 64], new Dictionary<string, string?> { ["MoeGrains:DomainExperts:PollInterval"] = "00:00:00.500" });
    }

    public async Task DisposeAsync() => await files.DisposeAsync();

    [Fact]
    public async Task Killing_an_expert_silo_mid_training_resumes_the_expert_elsewhere_from_its_last_checkpoint_and_ends_bit_identical_because_optimizer_state_and_data_position_are_restored()
    {
        var client = new MoeClient(Cluster.Client);
        const string name = "demix-kill";
        var sharedVersion = await BranchRunChecks.TrainSharedAsync(client, name, Corpus);

        using var steps = new MetricCapture();
        var request = new DomainExpertTrainingRequest("sample", sharedVersion, Steps, BatchSize: 4, LearningRate: 1e-2, Seed: 3, CheckpointEvery: CheckpointEvery);
        await client.TrainDomainExpertsAsync(name, Domains, request);

        // Kill the silo of the first expert that has passed its first checkpoint (but is not near the end).
        DomainExpertStatus? victim = null;
        InProcessSiloHandle? killed = null;
        var clock = Stopwatch.StartNew();
        while (victim is null)
        {
            var status = await client.GetDomainMixtureAsync(name);
            Assert.True(status.Version == 0, "the experts finished before any silo could be killed");
            victim = status.Training.FirstOrDefault(e => e.Step > CheckpointEvery + 1 && e.Step < Steps - CheckpointEvery);
            if (clock.Elapsed > TimeSpan.FromMinutes(3)) throw new TimeoutException("No expert reached the kill window in 3 minutes.");
            if (victim is null) await Task.Delay(10);
        }
        killed = Cluster.Silos.Single(s => s.SiloAddress.ToString() == victim.Silo);
        await Cluster.KillSiloAsync(killed);
        var killedAt = clock.Elapsed;
        output.WriteLine($"killed {killed.SiloAddress} (expert {victim.Expert} at step {victim.Step}, version {victim.Version}) after {killedAt.TotalSeconds:F1} s");

        var final = await BranchRunChecks.WaitForMixtureAsync(client, name);
        output.WriteLine($"mixture v{final.Version} {clock.Elapsed.TotalSeconds - killedAt.TotalSeconds:F1} s after the kill: " +
            string.Join("; ", final.Training.Select(e => $"{e.Expert} on {e.Silo}, step {e.Step}, v{e.Version}, {e.Resumes} resume(s)")));

        Assert.Equal(1, final.Version);
        Assert.Equal(Domains, final.Experts);
        Assert.All(final.Training, e => Assert.Equal(TrainingState.Completed, e.State));
        var resumed = final.Training.Single(e => e.Expert == victim.Expert);
        Assert.NotEqual(killed.SiloAddress.ToString(), resumed.Silo);
        Assert.True(resumed.Resumes >= 1, $"expert {victim.Expert} reports no resume");
        Assert.Equal(Steps, resumed.Step);
        // Every step any activation of the expert ran, on either silo: the excess over the run is the work lost with the silo.
        var executed = steps.Of(MoeMetrics.TrainingSteps.Name, DomainExpertNames.StoreName(name, victim.Expert)).Sum(m => m.Value);
        var redone = executed - Steps;
        output.WriteLine($"expert {victim.Expert}: {executed} steps executed for a {Steps}-step run, {redone} redone (checkpoint every {CheckpointEvery})");
        Assert.InRange(redone, 0, CheckpointEvery);

        var store = files.Store();
        foreach (var domain in Domains)
        {
            var latest = (int)(await store.LatestVersionAsync(DomainExpertNames.StoreName(name, domain)))!.Value;
            Assert.Equal(latest, final.Training.Single(e => e.Expert == domain).Version);
            await BranchRunChecks.AssertEqualsUninterruptedAsync(files.Store(), Corpus, name, sharedVersion, request, domain, latest);
        }
    }
}
