using System.Diagnostics;
using MoeGrains.Abstractions.Models;
using MoeGrains.Abstractions.Training;
using MoeGrains.Faults.Tests.Cluster;
using MoeGrains.Testing;
using Xunit.Abstractions;

namespace MoeGrains.Faults.Tests.Faults;

/// <summary>An expert silo process is killed (SIGKILL: a crash, as far as the cluster can tell) while the cluster trains or serves.</summary>
[Collection(FaultClusterCollection.Name)]
public sealed class ExpertSiloFaultTests(FaultCluster cluster, ITestOutputHelper output)
{
    private const int Steps = 30;
    private const int CheckpointEvery = 10;
    private const int Clients = 4;
    // Recovery includes Orleans' failure detection (default probes), which takes tens of seconds on a busy 2-core machine.
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Killing_an_expert_silo_during_training_loses_at_most_one_checkpoint_interval_and_the_run_completes()
    {
        await cluster.RestoreAsync();
        const string model = "trained-through-kill";
        await cluster.Client.CreateModelAsync(model, new ModelSpec("tiny", "switch", Seed: 21));
        var victim = await BusiestExpertSiloAsync(model);
        var handle = await cluster.Client.TrainAsync(model, new TrainingRequest(FaultCluster.Dataset, Steps, 4, 1e-2, 21, CheckpointEvery));

        var clock = Stopwatch.StartNew();
        TimeSpan? killedAt = null, recoveredAt = null;
        long stepAtKill = 0, committedAtKill = 0, lowestAfterKill = long.MaxValue;
        TrainingStatus status;
        while (true)
        {
            status = await handle.GetStatusAsync();
            if (killedAt is null && status.Step >= CheckpointEvery + 4)
            {
                await victim.KillAsync();
                killedAt = clock.Elapsed;
                var after = await handle.GetStatusAsync();
                stepAtKill = Math.Max(status.Step, after.Step);
                committedAtKill = (await cluster.Store.ReadManifestAsync(model, (await cluster.Store.LatestVersionAsync(model))!.Value)).Step;
            }
            else if (killedAt is not null)
            {
                // A rollback shows as restarts, or — when the router itself died with the silo and resumed elsewhere from its
                // persisted run, counting afresh — as the step going down.
                lowestAfterKill = Math.Min(lowestAfterKill, status.Step);
                if (recoveredAt is null && (status.Restarts > 0 || lowestAfterKill < stepAtKill) && status.Step > stepAtKill) recoveredAt = clock.Elapsed;
            }
            if (status.State != TrainingState.Running) break;
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(5), $"training still running after 5 min at step {status.Step}\n{cluster.Silos.Output()}");
            await Task.Delay(20);
        }
        recoveredAt ??= status.State == TrainingState.Completed ? clock.Elapsed : null;

        Assert.True(killedAt is not null, "the run ended before the silo was killed");
        Assert.True(status.State == TrainingState.Completed, $"training ended {status.State}: {status.Error}\n{cluster.Silos.Output()}");
        var routerResumed = status.Restarts == 0 && lowestAfterKill < stepAtKill;
        Assert.True(status.Restarts > 0 || routerResumed, "the kill did not interrupt training (no rollback): the fault tested nothing");
        var lost = stepAtKill - committedAtKill;
        Assert.InRange(lost, 0, CheckpointEvery);
        var recovery = recoveredAt!.Value - killedAt.Value;
        Assert.True(recovery < RecoveryBound, $"training took {recovery.TotalSeconds:F1} s to pass step {stepAtKill} again");
        Assert.Equal(Steps, status.Losses.Count);
        Assert.All(await cluster.Client.ListExpertsAsync(model), e => Assert.Equal(Steps, e.Step));
        var verified = await cluster.VerifyCommittedAsync();

        FaultReport.Record(new FaultFigures("expert silo killed during training", 0, 0, lost, verified, recovery,
            $"run completed; killed at step {stepAtKill}, rolled back to the step-{committedAtKill} checkpoint, " +
            (routerResumed ? "the router died with the silo and resumed its run on another silo" : $"{status.Restarts} restart(s)")), output);
        await cluster.RestoreAsync();
    }

    [Fact]
    public async Task Killing_an_expert_silo_during_serving_fails_only_requests_in_flight_and_serving_recovers()
    {
        await cluster.RestoreAsync();
        var victim = await BusiestExpertSiloAsync(FaultCluster.ServedModel);
        await using var load = new RequestLoad(cluster.Client, FaultCluster.ServedModel, Clients);
        await Task.Delay(TimeSpan.FromSeconds(3));
        await victim.KillAsync();
        var killedAt = load.Elapsed;
        var recovery = await ServingRecovery.AwaitAsync(load, killedAt, RecoveryBound);
        var records = await load.StopAsync();

        var failed = records.Where(r => r.Failed).ToList();
        Assert.DoesNotContain(failed, r => r.Start < killedAt && r.End < killedAt); // nothing failed before the fault
        var recoveredAt = killedAt + recovery;
        Assert.DoesNotContain(records, r => r.Failed && r.Start > recoveredAt); // and nothing after recovery
        Assert.Contains(records, r => !r.Failed && r.Start > recoveredAt);
        var verified = await cluster.VerifyCommittedAsync();

        FaultReport.Record(new FaultFigures("expert silo killed during serving", records.Count, failed.Count, 0, verified, recovery,
            failed.Count == 0 ? "no request failed" : $"failed while the silo's death was detected: {ServingRecovery.Errors(records)}"), output);
        await cluster.RestoreAsync();
    }

    /// <summary>The expert silo hosting most of <paramref name="model"/>'s experts (a kill there must hit the model).</summary>
    private async Task<SiloProcess> BusiestExpertSiloAsync(string model)
    {
        var experts = await cluster.Client.ListExpertsAsync(model);
        var silo = new[] { cluster.ExpertSilo(0), cluster.ExpertSilo(1) }
            .MaxBy(s => experts.Count(e => e.Silo.StartsWith(s.AddressPrefix, StringComparison.Ordinal)))!;
        Assert.Contains(experts, e => e.Silo.StartsWith(silo.AddressPrefix, StringComparison.Ordinal));
        return silo;
    }
}
