using Microsoft.Extensions.DependencyInjection;
using MoeGrains.Abstractions.Cluster;
using MoeGrains.Abstractions.Models;
using MoeGrains.Abstractions.Training;
using MoeGrains.Client;
using MoeGrains.Cluster.Tests.Placement;
using MoeGrains.Cluster.Tests.Equivalence;
using MoeGrains.Grains.Placement;
using MoeGrains.Grains.Routers;
using Orleans.TestingHost;
using Xunit.Abstractions;

namespace MoeGrains.Cluster.Tests.Drain;

/// <summary>
/// Three silos — a router silo without expert slots and two expert silos: draining an expert silo moves every expert to the other
/// one while a model trains and another serves; the drained silo then hosts nothing and stops with nothing lost.
/// </summary>
public sealed class SiloDrainTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Steps = 30;
    private const int Seed = 21;
    private static readonly string[] Texts = ["The experts move, the answers stay.", "def drain(silo): return moved"];
    private FileBackedCluster files = null!;

    private InProcessTestCluster Cluster => files.Cluster;
    private MoeClient client = null!;

    public async Task InitializeAsync()
    {
        files = await DrainCluster.StartAsync("moe-drain-", 3, 0, 64, 64);
        client = new MoeClient(Cluster.Client);
        await client.UploadDatasetAsync("sample", files.Corpus);
    }

    public async Task DisposeAsync() => await files.DisposeAsync();

    [Fact]
    public async Task Draining_an_expert_silo_empties_it_while_every_expert_answers_the_same_and_training_ends_where_an_undisturbed_run_ends()
    {
        var spec = new ModelSpec("tiny", "switch", Seed: Seed);
        await client.CreateModelAsync("serving", new ModelSpec("tiny", "top2", Seed: 5));
        await client.CreateModelAsync("training", spec);
        var (survivor, victim) = (Cluster.Silos[1], Cluster.Silos[2]);
        var before = await client.ScoreAsync("serving", Texts);
        var servingBefore = await client.ListExpertsAsync("serving");
        Assert.Contains(servingBefore, e => e.Silo == victim.SiloAddress.ToString()); // otherwise the drain moves nothing

        var handle = await client.TrainAsync("training", new TrainingRequest("sample", Steps, 4, 1e-2, Seed, CheckpointEvery: 10));
        DrainStatus? drained = null;
        var statuses = new List<DrainStatus>();
        await foreach (var status in handle.WatchAsync(TimeSpan.FromMilliseconds(10)))
        {
            if (drained is null && status.Step >= 5)
                drained = await client.DrainSiloAsync(victim.SiloAddress.ToString(), new Progress<DrainStatus>(statuses.Add), TimeSpan.FromSeconds(30));
        }
        var final = await handle.GetStatusAsync();
        output.WriteLine($"drain: {drained!.ExpertsAtStart} experts, {drained.Moves} move requests, {drained.Elapsed.TotalSeconds:F2} s; training {final.State} with {final.Restarts} restart(s)");

        Assert.True(drained.Completed);
        Assert.True(drained.ExpertsAtStart > 0, "the drained silo hosted no expert when the drain started");
        Assert.Equal(0, victim.SiloHost.Services.GetRequiredService<DeviceAllocator>().HeldCount);
        var silos = await client.ListSilosAsync();
        var listed = silos.Single(s => s.Address == victim.SiloAddress.ToString());
        Assert.True(listed.Draining);
        Assert.Equal(0, listed.ExpertsHosted);
        Assert.False(silos.Single(s => s.Address == survivor.SiloAddress.ToString()).Draining);

        // Training went on through the move and ends exactly where a run without it ends.
        Assert.True(final.State == TrainingState.Completed, $"training ended {final.State}: {final.Error}");
        var (reference, losses) = InProcessReference.Train(ModelSpecs.ToConfig(spec), files.Corpus, Seed, Steps, 4, 1e-2);
        reference.Dispose();
        LossComparison.AssertEqual(losses, final.Losses, "training through a drain");

        // Every expert answers from the other silo, with the same weights.
        foreach (var model in new[] { "serving", "training" })
            Assert.All(await client.ListExpertsAsync(model), e => Assert.Equal(survivor.SiloAddress.ToString(), e.Silo));
        AssertSameScores(before, await client.ScoreAsync("serving", Texts), "after the drain");
        var servingAfter = (await client.ListExpertsAsync("serving")).ToDictionary(e => e.Id.Key);
        foreach (var e in servingBefore.Where(e => e.Silo == victim.SiloAddress.ToString()))
            Assert.Equal(e.Version, servingAfter[e.Id.Key].Version); // a moved expert reloaded the same committed version

        // The drained silo stops and nothing is lost.
        await Cluster.StopSiloAsync(victim);
        AssertSameScores(before, await client.ScoreAsync("serving", Texts), "after the drained silo stopped");
        Assert.Equal(survivor.SiloAddress.ToString(), (await client.ListSilosAsync()).Single(s => s.ExpertsHosted > 0).Address);
    }

    [Fact]
    public async Task A_stopping_silo_with_drain_on_shutdown_hands_its_experts_to_the_other_expert_silo_before_it_leaves()
    {
        await client.CreateModelAsync("handover", new ModelSpec("tiny", "switch", Seed: 8));
        var before = await client.ScoreAsync("handover", Texts);
        var (survivor, victim) = (Cluster.Silos[1], Cluster.Silos[2]);
        var onVictim = victim.SiloHost.Services.GetRequiredService<DeviceAllocator>().HeldCount;
        var onSurvivor = survivor.SiloHost.Services.GetRequiredService<DeviceAllocator>();
        Assert.True(onVictim > 0, "the stopping silo hosted no expert");

        await Cluster.StopSiloAsync(victim);

        // Counted before any call could reactivate an expert: the drain already placed them all on the survivor.
        Assert.Equal(8, onSurvivor.HeldCount);
        AssertSameScores(before, await client.ScoreAsync("handover", Texts), "after the silo stopped");
    }

    /// <summary>
    /// The experts reload the same committed bytes wherever they go (their versions are checked), so scores may differ only by
    /// float32 rounding. Usually they are bit-identical, but 2–3e-8 in log p was seen once after a drain and once after a silo
    /// stop; the cause is not traced (suspects: the order in which concurrent expert results are combined, a reactivated
    /// router — see the OPEN note in SiloLossTests). 1e-6 is far below what any change of weights would give.
    /// </summary>
    private static void AssertSameScores(IReadOnlyList<MoeGrains.Abstractions.Inference.TokenScores> expected,
        IReadOnlyList<MoeGrains.Abstractions.Inference.TokenScores> actual, string when, double tolerance = 1e-6)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].TokenIds, actual[i].TokenIds);
            var worst = expected[i].LogProbabilities.Zip(actual[i].LogProbabilities, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(worst <= tolerance, $"text {i} scores differently {when}: max |Δ log p| = {worst:E2} (allowed {tolerance:E0})");
        }
    }
}
