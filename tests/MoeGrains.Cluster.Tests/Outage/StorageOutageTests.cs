using System.Diagnostics;
using MoeGrains.Abstractions.Models;
using MoeGrains.Abstractions.Training;
using MoeGrains.Client;
using MoeGrains.Cluster.Tests.Equivalence;
using MoeGrains.Cluster.Tests.Placement;
using MoeGrains.Grains.Routers;
using MoeGrains.Testing;
using Orleans.TestingHost;
using Xunit.Abstractions;

namespace MoeGrains.Cluster.Tests.Outage;

/// <summary>
/// Checkpoints in a real Azurite that is stopped while training runs: the next checkpoint fails, the router reports the outage and
/// retries with back-off without losing a step, and when Azurite returns on the same port the run commits and ends where an
/// undisturbed run ends, every committed version loadable. Grain state is in memory so only the checkpoint store goes away.
/// </summary>
public sealed class StorageOutageTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private const int Steps = 60;
    private const int Every = 20;
    private const int Seed = 17;
    private const string Container = "outage-checkpoints";
    private static readonly TimeSpan OutageLength = TimeSpan.FromSeconds(4);
    private readonly string root = Directory.CreateTempSubdirectory("moe-outage-").FullName;
    private InProcessTestCluster cluster = null!;

    public async Task InitializeAsync() => cluster = await ExpertTestCluster.StartAsync(AzuriteCheckpoints.Silo(azurite, Container, 0), AzuriteCheckpoints.Silo(azurite, Container, 64));

    public async Task DisposeAsync()
    {
        await cluster.DisposeAsync();
        await azurite.StartAsync(); // for the next test of the fixture, had this one failed while Azurite was down
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task Stopping_azurite_during_training_reports_the_outage_keeps_every_committed_version_and_resumes_to_the_undisturbed_losses()
    {
        var client = new MoeClient(cluster.Client);
        var corpus = TestCorpus.WriteShortValid(Path.Combine(root, "corpus"));
        await client.UploadDatasetAsync("sample", corpus);
        var spec = new ModelSpec("tiny", "switch", Seed: Seed);
        await client.CreateModelAsync("outage", spec);

        var handle = await client.TrainAsync("outage", new TrainingRequest("sample", Steps, 4, 1e-2, Seed, CheckpointEvery: Every));
        var clock = Stopwatch.StartNew();
        TrainingStatus? duringOutage = null;
        TimeSpan? stoppedAt = null, outageSeenAt = null, restartedAt = null;
        await foreach (var status in handle.WatchAsync(TimeSpan.FromMilliseconds(20)))
        {
            if (stoppedAt is null && status.Step >= 3)
            {
                await azurite.StopAsync();
                stoppedAt = clock.Elapsed;
            }
            if (status.StorageOutage && outageSeenAt is null) outageSeenAt = clock.Elapsed;
            if (outageSeenAt is { } seen && restartedAt is null && clock.Elapsed - seen > OutageLength)
            {
                duringOutage = status;
                await azurite.StartAsync();
                restartedAt = clock.Elapsed;
            }
        }
        var final = await handle.GetStatusAsync();
        output.WriteLine($"Azurite stopped at {stoppedAt?.TotalSeconds:F1} s, outage reported at {outageSeenAt?.TotalSeconds:F1} s, restarted at {restartedAt?.TotalSeconds:F1} s; " +
            $"run {final.State} at {clock.Elapsed.TotalSeconds:F1} s; during the outage: step {duringOutage?.Step}, error: {duringOutage?.LastError}");

        Assert.True(outageSeenAt is not null, "the run never reported a storage outage (did it finish before Azurite stopped?)");
        Assert.NotNull(duringOutage);
        Assert.Equal(TrainingState.Running, duringOutage.State);
        Assert.True(duringOutage.StorageOutage);
        Assert.True(duringOutage.Step % Every == 0, $"the run should wait at a checkpoint during the outage, not at step {duringOutage.Step}");
        Assert.False(string.IsNullOrEmpty(duringOutage.LastError));

        Assert.True(final.State == TrainingState.Completed, $"training ended {final.State}: {final.Error}");
        Assert.False(final.StorageOutage);
        Assert.Equal(0, final.Restarts); // the failed checkpoint was retried as it was: no rollback, no step replayed
        var (reference, losses) = InProcessReference.Train(ModelSpecs.ToConfig(spec), corpus, Seed, Steps, 4, 1e-2);
        reference.Dispose();
        LossComparison.AssertEqual(losses, final.Losses, "training through a storage outage");

        // Every version — the one committed before the outage, the one retried through it and the rest — is complete and verifies.
        var store = AzuriteCheckpoints.Store(azurite, Container);
        Assert.Equal([1L, 2, 3, 4], await store.ListVersionsAsync("outage"));
        foreach (var version in new long[] { 1, 2, 3, 4 }) await store.VerifyAsync("outage", version);
        Assert.Equal(Steps, (await store.ReadManifestAsync("outage", 4)).Step);
    }
}
