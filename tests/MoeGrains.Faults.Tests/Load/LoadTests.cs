using System.Diagnostics;
using MoeGrains.Abstractions.Models;
using MoeGrains.Abstractions.Training;
using MoeGrains.Faults.Tests.Cluster;
using MoeGrains.Faults.Tests.Faults;
using Xunit.Abstractions;

namespace MoeGrains.Faults.Tests.Load;

/// <summary>
/// Concurrent scoring and generation clients against the multi-process cluster for a fixed time: first with nothing else going
/// on, then while the cluster does lifecycle work (a second model is created and trained, and an expert silo is killed and
/// started again). <c>MOE_LOAD_SECONDS</c> sets each phase's length (default 20; a benchmark run can ask for more). A request not
/// answered within <see cref="RequestTimeout"/> counts as failed.
/// </summary>
[Collection(FaultClusterCollection.Name)]
public sealed class LoadTests(FaultCluster cluster, ITestOutputHelper output)
{
    private const int Clients = 8;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private static TimeSpan PhaseLength =>
        TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("MOE_LOAD_SECONDS"), out var seconds) && seconds > 0 ? seconds : 20);

    [Fact]
    public async Task Concurrent_clients_are_served_without_failures_and_through_lifecycle_work()
    {
        await cluster.RestoreAsync();
        var steady = await RunPhaseAsync("steady: nothing else happens", () => Task.CompletedTask);
        Assert.True(steady.Failed.Count == 0, $"{steady.Failed.Count} requests failed with nothing else going on: {ServingErrors(steady.Failed)}");
        Assert.True(steady.Figures.Requests >= Clients, $"only {steady.Figures.Requests} requests in {PhaseLength.TotalSeconds} s");

        var lifecycle = await RunPhaseAsync("lifecycle: second model created and trained 6 steps, then the served model's busiest expert silo killed and restarted", async () =>
        {
            await cluster.Client.CreateModelAsync("second", new ModelSpec("tiny", "top2", Seed: 51));
            var training = await (await cluster.Client.TrainAsync("second", new TrainingRequest(FaultCluster.Dataset, 6, 4, 1e-2, 51, 3))).WaitAsync();
            Assert.Equal(TrainingState.Completed, training.State);
            var experts = await cluster.Client.ListExpertsAsync(FaultCluster.ServedModel);
            var victim = new[] { 1, 2 }.MaxBy(i => experts.Count(e => e.Silo.StartsWith(cluster.Silos.Silos[i].AddressPrefix, StringComparison.Ordinal)));
            await cluster.Silos.Silos[victim].KillAsync(); // the silo with most of the served model's experts
            await Task.Delay(TimeSpan.FromSeconds(2));
            await cluster.Silos.RestartAsync(victim);
        });
        Assert.True(lifecycle.Figures.Requests >= Clients, $"only {lifecycle.Figures.Requests} requests during lifecycle work");
        await cluster.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
        var verified = await cluster.VerifyCommittedAsync();
        output.WriteLine($"{verified} committed versions verified after the load test");
    }

    private async Task<(LoadFigures Figures, IReadOnlyList<RequestRecord> Failed)> RunPhaseAsync(string phase, Func<Task> meanwhile)
    {
        var clock = Stopwatch.StartNew();
        await using var load = new RequestLoad(cluster.Client, FaultCluster.ServedModel, Clients, requestTimeout: RequestTimeout);
        await meanwhile();
        var rest = PhaseLength - clock.Elapsed;
        if (rest > TimeSpan.Zero) await Task.Delay(rest);
        var records = await load.StopAsync();
        var duration = clock.Elapsed;
        var latencies = records.Where(r => !r.Failed).Select(r => r.Latency).Order().ToList();
        var figures = new LoadFigures(phase, Clients, duration, records.Count, records.Count(r => r.Failed), Percentile(latencies, 0.50), Percentile(latencies, 0.99));
        FaultReport.Record(figures, output);
        if (figures.Failed > 0) output.WriteLine($"{phase}: failures at {string.Join(", ", records.Where(r => r.Failed).Select(r => $"{r.Start.TotalSeconds:F1}–{r.End.TotalSeconds:F1} s"))}: {ServingRecovery.Errors(records)}");
        return (figures, [.. records.Where(r => r.Failed)]);
    }

    private static TimeSpan Percentile(IReadOnlyList<TimeSpan> sorted, double p) =>
        sorted.Count == 0 ? TimeSpan.Zero : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static string ServingErrors(IEnumerable<RequestRecord> failed) => ServingRecovery.Errors(failed);
}
