using System.Diagnostics;
using Azure.Storage.Blobs;
using MoeGrains.Abstractions.Experts;
using MoeGrains.Abstractions.Models;
using MoeGrains.Abstractions.Training;
using MoeGrains.Faults.Tests.Cluster;
using MoeGrains.Grains.Experts;
using MoeGrains.Storage;
using Xunit.Abstractions;

namespace MoeGrains.Faults.Tests.Faults;

/// <summary>Faults of the storage under the cluster: Azurite goes away during a checkpoint; a committed blob is damaged.</summary>
[Collection(FaultClusterCollection.Name)]
public sealed class StorageFaultTests(FaultCluster cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Records what main does today: the router treats storage errors as transient (rollback, up to 5 retries backing off 0.2–3.2 s)
    /// and the Azure SDK retries each request, so a short outage may be ridden out or may fail the run; either way no committed
    /// version may be lost, the cluster must serve again once storage is back, and a failed run must be resumable by a new run.
    /// </summary>
    [Fact]
    public async Task Stopping_Azurite_during_a_checkpoint_loses_no_committed_version_and_training_can_finish()
    {
        await cluster.RestoreAsync();
        const string model = "outage";
        const int steps = 12, every = 4;
        await cluster.Client.CreateModelAsync(model, new ModelSpec("tiny", "switch", Seed: 31));
        var request = new TrainingRequest(FaultCluster.Dataset, steps, 4, 1e-2, 31, every);
        var handle = await cluster.Client.TrainAsync(model, request);
        TrainingStatus status;
        while (true)
        {
            status = await handle.GetStatusAsync();
            if (status.Step >= every || status.State != TrainingState.Running) break; // a checkpoint is due right after step 4
            await Task.Delay(5);
        }
        Assert.Equal(TrainingState.Running, status.State);
        var stepAtOutage = status.Step;
        var stopping = Stopwatch.StartNew();
        await cluster.Azurite.StopAsync();
        var stopTook = stopping.Elapsed;
        await Task.Delay(Outage);
        var during = await handle.GetStatusAsync(); // the router lives on, without its storage
        await cluster.Azurite.StartAsync();
        var clock = Stopwatch.StartNew();

        TrainingStatus end;
        var lowest = during.Step; // a rollback shows as the step going down
        while ((end = await handle.GetStatusAsync()).State == TrainingState.Running)
        {
            lowest = Math.Min(lowest, end.Step);
            Assert.True(clock.Elapsed < RecoveryBound, $"training still running {RecoveryBound.TotalSeconds} s after storage returned\n{cluster.Silos.Output()}");
            await Task.Delay(5);
        }
        var servingAfter = await cluster.WaitUntilServingAsync(RecoveryBound);
        var committed = (await cluster.Store.ReadManifestAsync(model, (await cluster.Store.LatestVersionAsync(model))!.Value)).Step;
        var outcome = end.State == TrainingState.Completed
            ? $"run rode the outage out ({end.Restarts} restart(s)) and completed"
            : $"run {end.State} ({end.Error?.Split('\n')[0]}); resumed by a new run from the step-{committed} checkpoint";
        var stepsLost = end.State == TrainingState.Completed ? Math.Max(0, stepAtOutage - lowest) : Math.Max(0, end.Step - committed);
        if (end.State != TrainingState.Completed)
        {
            var resumed = await (await cluster.Client.TrainAsync(model, request with { Steps = steps - (int)committed })).WaitAsync();
            Assert.True(resumed.State == TrainingState.Completed, $"the resumed run ended {resumed.State}: {resumed.Error}");
        }
        var recovery = clock.Elapsed;

        Assert.Equal(steps, (await cluster.Client.GetModelAsync(model)).Step);
        var verified = await cluster.VerifyCommittedAsync();
        FaultReport.Record(new FaultFigures($"Azurite stopped for {Outage.TotalSeconds:F0} s during a checkpoint", 0, 0, stepsLost, verified, recovery,
            $"stopped after step {stepAtOutage} (stop took {stopTook.TotalSeconds:F1} s; status during the outage: {during.State} at step {during.Step}); " +
            $"{outcome}; serving again {servingAfter.TotalSeconds:F1} s after the run ended"), output);
    }

    [Fact]
    public async Task A_corrupted_checkpoint_blob_is_refused_by_name_and_the_previous_version_still_verifies()
    {
        await cluster.RestoreAsync();
        const string model = "damaged";
        await cluster.Client.CreateModelAsync(model, new ModelSpec("tiny", "switch", Seed: 41));
        var status = await (await cluster.Client.TrainAsync(model, new TrainingRequest(FaultCluster.Dataset, 4, 2, 1e-2, 41, CheckpointEvery: 2))).WaitAsync();
        Assert.Equal(TrainingState.Completed, status.State);
        var latest = (await cluster.Store.LatestVersionAsync(model))!.Value;
        Assert.Equal(3, latest);

        var path = CheckpointPaths.ExpertWeights(1, 2);
        var blob = new BlobServiceClient(cluster.Azurite.ConnectionString).GetBlobContainerClient(cluster.CheckpointContainer)
            .GetBlobClient($"models/{model}/v{latest}/{path}");
        Assert.True((await blob.ExistsAsync()).Value, $"the blob layout changed: {blob.Name} is missing");
        var bytes = (await blob.DownloadContentAsync()).Value.Content.ToArray();
        bytes[bytes.Length / 2] ^= 0xFF; // one flipped byte, same size
        await blob.UploadAsync(new BinaryData(bytes), overwrite: true);
        cluster.MarkDamaged(model, latest);
        var before = await cluster.StoredStateAsync();

        var verify = await Assert.ThrowsAsync<CorruptCheckpointException>(() => cluster.Store.VerifyAsync(model, latest));
        Assert.Equal([path], verify.Mismatches.Select(m => m.Path));
        var clock = Stopwatch.StartNew();
        await cluster.Connection.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var expert = cluster.Connection.Client.GetGrain<IExpertGrain>(new ExpertId(model, 1, 2).Key);
        var refused = await Assert.ThrowsAnyAsync<Exception>(expert.GetInfoAsync);
        Assert.Contains(path, refused.Message);
        Assert.Contains($"'{model}' v{latest} is corrupt", refused.Message);
        // Through the router: listing the experts reaches every one (a scored text may route no token to the damaged expert).
        var throughRouter = await Assert.ThrowsAnyAsync<Exception>(() => cluster.Client.ListExpertsAsync(model));
        Assert.Contains(path, throughRouter.Message);

        await cluster.Store.VerifyAsync(model, latest - 1); // the previous version is intact and loadable
        var previous = await cluster.Store.ReadBlobAsync(model, latest - 1, path);
        Assert.NotEmpty(previous);
        Assert.True((await cluster.StoredStateAsync()).SameAs(before), "refusing the damaged version changed what is stored");
        Assert.Equal([1L, 2L, 3L], await cluster.Store.ListVersionsAsync(model));
        var servedAgain = await cluster.WaitUntilServingAsync(TimeSpan.FromSeconds(60)); // other models reload from their intact versions
        var verified = await cluster.VerifyCommittedAsync();
        FaultReport.Record(new FaultFigures("corrupted checkpoint blob (one flipped byte)", 2, 2, 0, verified, clock.Elapsed,
            $"both requests to the damaged model refused naming {path}; v{latest - 1} verifies; other models served {servedAgain.TotalSeconds:F1} s after all activations were collected"), output);
    }
}
