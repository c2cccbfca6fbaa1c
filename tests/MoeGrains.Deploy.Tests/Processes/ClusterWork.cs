using System.Diagnostics;
using MoeGrains.Abstractions.Experts;
using MoeGrains.Abstractions.Models;
using MoeGrains.Abstractions.Training;
using MoeGrains.Client;
using MoeGrains.Testing;

namespace MoeGrains.Deploy.Tests.Processes;

/// <summary>The work every deployment test puts through its cluster: wait for expert placement, then two training steps and a score.</summary>
internal static class ClusterWork
{
    public const string Model = "deploy";

    /// <summary>Waits until an expert grain can be placed (the gateway knows an expert silo's metadata), failing early if a silo exits.</summary>
    public static async Task WaitForExpertPlacementAsync(IClusterClient cluster, SiloProcessCluster silos, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var probe = cluster.GetGrain<IExpertGrain>(new ExpertId("readiness-probe", 0, 0).Key);
        Exception? last = null;
        while (clock.Elapsed < timeout)
        {
            if (silos.Silos.Any(s => s.HasExited)) throw new InvalidOperationException($"A silo process exited.\n{silos.Output()}");
            try
            {
                await probe.GetInfoAsync();
                return;
            }
            catch (Exception e)
            {
                last = e;
                await Task.Delay(250);
            }
        }
        throw new TimeoutException($"No expert could be placed within {timeout.TotalSeconds} s: {last?.Message}\n{silos.Output()}", last);
    }

    /// <summary>Uploads the sample corpus and creates a tiny switch model named <see cref="Model"/>.</summary>
    public static async Task PrepareModelAsync(MoeClient client)
    {
        await client.UploadDatasetAsync("sample", Path.Combine(AppContext.BaseDirectory, "sample-corpus"));
        await client.CreateModelAsync(Model, new ModelSpec("tiny", "switch", Seed: 11));
    }

    /// <summary>Trains the prepared model two steps and scores a text; returns the finished run and where the experts live.</summary>
    public static async Task<(TrainingStatus Status, IReadOnlyList<ExpertInfo> Experts)> TrainAndScoreAsync(MoeClient client)
    {
        var handle = await client.TrainAsync(Model, new TrainingRequest("sample", Steps: 2, BatchSize: 2, LearningRate: 1e-2, Seed: 11, CheckpointEvery: 1));
        var status = await handle.WaitAsync();
        var scores = await client.ScoreAsync(Model, ["the cluster scores this text"]);
        Assert.True(scores.Single().LogProbabilities.All(p => p <= 0 && double.IsFinite(p)), "scores are not finite log-probabilities");
        return (status, await client.ListExpertsAsync(Model));
    }

    /// <summary><see cref="PrepareModelAsync"/> then <see cref="TrainAndScoreAsync"/>.</summary>
    public static async Task<(TrainingStatus Status, IReadOnlyList<ExpertInfo> Experts)> TrainTwoStepsAsync(MoeClient client)
    {
        await PrepareModelAsync(client);
        return await TrainAndScoreAsync(client);
    }
}
