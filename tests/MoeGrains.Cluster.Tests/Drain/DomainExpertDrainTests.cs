using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using MoeGrains.Abstractions.Domains;
using MoeGrains.Client;
using MoeGrains.Cluster.Tests.Domains;
using MoeGrains.Cluster.Tests.Observability;
using MoeGrains.Cluster.Tests.Placement;
using MoeGrains.Diagnostics;
using MoeGrains.Grains.Placement;
using MoeGrains.Storage;
using Orleans.TestingHost;
using Xunit.Abstractions;

namespace MoeGrains.Cluster.Tests.Drain;

/// <summary>
/// Scale-in while domain experts branch-train: draining the silo of a training expert makes it commit its current step and
/// move; it goes on from there on the other expert silo — no step redone — and ends bit-identical to an uninterrupted run.
/// </summary>
public sealed class DomainExpertDrainTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Steps = 120;
    private const int CheckpointEvery = 50;
    private static readonly string[] Domains = ["code", "religion"];
    private FileBackedCluster files = null!;

    private InProcessTestCluster Cluster => files.Cluster;

    public async Task InitializeAsync()
    {
        files = await DrainCluster.StartAsync("moe-demix-drain-", 3, 0, 64, 64);
    }

    public async Task DisposeAsync() => await files.DisposeAsync();

    [Fact]
    public async Task Draining_the_silo_of_a_training_expert_commits_its_step_before_the_move_so_no_step_is_redone_and_it_ends_bit_identical()
    {
        var client = new MoeClient(Cluster.Client);
        const string name = "demix-drain";
        var sharedVersion = await BranchRunChecks.TrainSharedAsync(client, name, files.Corpus);

        using var steps = new MetricCapture();
        var request = new DomainExpertTrainingRequest("sample", sharedVersion, Steps, BatchSize: 4, LearningRate: 1e-2, Seed: 3, CheckpointEvery: CheckpointEvery);
        await client.TrainDomainExpertsAsync(name, Domains, request);

        // Drain the silo of the first expert that is between its first and second checkpoint.
        DomainExpertStatus? moving = null;
        var clock = Stopwatch.StartNew();
        while (moving is null)
        {
            var status = await client.GetDomainMixtureAsync(name);
            Assert.True(status.Version == 0, "the experts finished before a silo could be drained");
            moving = status.Training.FirstOrDefault(e => e.Step > CheckpointEvery + 5 && e.Step < 2 * CheckpointEvery - 20);
            if (clock.Elapsed > TimeSpan.FromMinutes(3)) throw new TimeoutException("No expert reached the drain window in 3 minutes.");
            if (moving is null) await Task.Delay(10);
        }
        var victim = Cluster.Silos.Single(s => s.SiloAddress.ToString() == moving.Silo);
        var drained = await client.DrainSiloAsync(moving.Silo, progress: null, TimeSpan.FromSeconds(60));
        output.WriteLine($"drained {moving.Silo} (expert {moving.Expert} at step {moving.Step}, version {moving.Version}): {drained.ExpertsAtStart} expert(s), {drained.Elapsed.TotalSeconds:F2} s");
        Assert.True(drained.Completed);
        Assert.Equal(0, victim.SiloHost.Services.GetRequiredService<DeviceAllocator>().HeldCount);

        var final = await BranchRunChecks.WaitForMixtureAsync(client, name);
        output.WriteLine(string.Join("; ", final.Training.Select(e => $"{e.Expert} on {e.Silo}, step {e.Step}, v{e.Version}, {e.Resumes} resume(s)")));
        Assert.Equal(Domains, final.Experts);
        var moved = final.Training.Single(e => e.Expert == moving.Expert);
        Assert.NotEqual(moving.Silo, moved.Silo);
        Assert.True(moved.Resumes >= 1, $"expert {moving.Expert} reports no resume after its move");
        var executed = steps.Of(MoeMetrics.TrainingSteps.Name, DomainExpertNames.StoreName(name, moving.Expert)).Sum(m => m.Value);
        Assert.Equal(Steps, executed); // nothing redone: the move committed the step it had reached
        Assert.True(moved.Version > Steps / CheckpointEvery + 1, $"expert {moving.Expert} committed {moved.Version} versions; the move adds one to the interval's");

        await BranchRunChecks.AssertEqualsUninterruptedAsync(files.Store(), files.Corpus, name, sharedVersion, request, moving.Expert, moved.Version);
    }
}
