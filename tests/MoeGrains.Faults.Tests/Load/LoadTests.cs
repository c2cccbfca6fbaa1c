using System.Diagnostics;
using MoeGrains.Abstractions.Domains;
using MoeGrains.Abstractions.Models;
using MoeGrains.Abstractions.Training;
using MoeGrains.Faults.Tests.Cluster;
using MoeGrains.Faults.Tests.Faults;
using Xunit.Abstractions;

namespace MoeGrains.Faults.Tests.Load;

/// <summary>
/// Concurrent clients against the multi-process cluster for a fixed time: scoring and generation clients on the served model with
/// nothing else going on; then scoring clients on a mixture of domain experts, first steady, then while an expert is added to
/// the mixture (trained in the cluster meanwhile) and another retired. <c>MOE_LOAD_SECONDS</c> sets each phase's length
/// (default 20; a benchmark run can ask for more). A request not answered within <see cref="RequestTimeout"/> counts as failed.
/// </summary>
[Collection(FaultClusterCollection.Name)]
public sealed class LoadTests(FaultCluster cluster, ITestOutputHelper output)
{
    private const int Clients = 8;
    private const string Mixture = "load-mixture";
    private const int Seed = 31;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private static TimeSpan PhaseLength =>
        TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("MOE_LOAD_SECONDS"), out var seconds) && seconds > 0 ? seconds : 20);

    [Fact]
    public async Task Concurrent_clients_are_served_without_failures_and_while_a_mixture_adds_and_retires_experts()
    {
        await cluster.RestoreAsync();
        var steady = await RunPhaseAsync("steady: nothing else happens",
            () => new RequestLoad(cluster.Client, FaultCluster.ServedModel, Clients, requestTimeout: RequestTimeout), () => Task.CompletedTask);
        Assert.True(steady.Failed.Count == 0, $"{steady.Failed.Count} requests failed with nothing else going on: {ServingErrors(steady.Failed)}");
        Assert.True(steady.Figures.Requests >= Clients, $"only {steady.Figures.Requests} requests in {PhaseLength.TotalSeconds} s");

        var (kept, added, retired) = (FaultCorpus.Domains[1], FaultCorpus.Domains[2], FaultCorpus.Domains[0]);
        await TrainMixtureAsync([retired, kept]);
        var mixtureSteady = await RunPhaseAsync($"mixture of domain experts ({retired}, {kept}), uniform scoring: nothing else happens",
            MixtureLoad, () => Task.CompletedTask);
        Assert.True(mixtureSteady.Failed.Count == 0, $"{mixtureSteady.Failed.Count} mixture requests failed: {ServingErrors(mixtureSteady.Failed)}");

        var versions = new List<int>();
        var lifecycle = await RunPhaseAsync($"mixture lifecycle: expert {added} added (trained 20 steps meanwhile), then {retired} retired", MixtureLoad, async () =>
        {
            var request = new DomainExpertTrainingRequest(FaultCluster.Dataset, 0, Steps: 20, BatchSize: 4, LearningRate: 1e-2, Seed: Seed, CheckpointEvery: 10);
            await cluster.Client.AddExpertAsync(Mixture, added, request);
            versions.Add((await WaitForMixtureAsync(status => status.Experts.Contains(added))).Version);
            versions.Add((await cluster.Client.RetireExpertAsync(Mixture, retired)).Version);
        });
        var final = await cluster.Client.GetDomainMixtureAsync(Mixture);
        Assert.Equal(new[] { added, kept }.Order(StringComparer.Ordinal), final.Experts.Order(StringComparer.Ordinal));
        Assert.Contains(retired, final.Archived);
        Assert.Equal([2, 3], versions);
        Assert.True(lifecycle.Figures.Requests >= Clients, $"only {lifecycle.Figures.Requests} requests during lifecycle work");
        Assert.True(lifecycle.Failed.Count == 0, $"{lifecycle.Failed.Count} mixture requests failed while experts were added and retired: {ServingErrors(lifecycle.Failed)}");
        var verified = await cluster.VerifyCommittedAsync();
        output.WriteLine($"{verified} committed versions verified after the load test");
    }

    /// <summary>Seeds a domain-gate model through the router and trains the mixture's first version: one expert per domain.</summary>
    private async Task TrainMixtureAsync(IReadOnlyList<string> domains)
    {
        await cluster.Client.CreateModelAsync(Mixture, new ModelSpec("tiny", "domain", Seed: Seed, Experts: FaultCorpus.Domains.Length));
        var seeded = await (await cluster.Client.TrainAsync(Mixture, new TrainingRequest(FaultCluster.Dataset, 6, 4, 1e-2, Seed, 3))).WaitAsync();
        Assert.True(seeded.State == TrainingState.Completed, $"seeding the mixture's model ended {seeded.State}: {seeded.Error}");
        var shared = (await cluster.Client.GetModelAsync(Mixture)).Version;
        await cluster.Client.TrainDomainExpertsAsync(Mixture, domains,
            new DomainExpertTrainingRequest(FaultCluster.Dataset, (int)shared, Steps: 20, BatchSize: 4, LearningRate: 1e-2, Seed: Seed, CheckpointEvery: 10));
        await WaitForMixtureAsync(status => status.Version >= 1);
    }

    private async Task<DomainMixtureStatus> WaitForMixtureAsync(Func<DomainMixtureStatus, bool> done)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = await cluster.Client.GetDomainMixtureAsync(Mixture);
            if (done(status)) return status;
            var failed = status.Training.FirstOrDefault(expert => expert.State == TrainingState.Failed);
            Assert.True(failed is null, $"expert {failed?.Expert} failed: {failed?.Error}");
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), $"the mixture's experts did not finish within 2 min: {string.Join(", ", status.Training.Select(e => $"{e.Expert} {e.State} {e.Step}/{e.TotalSteps}"))}");
            await Task.Delay(100);
        }
    }

    /// <summary>Clients scoring a text with the uniform mixture of whatever experts the current mixture version has.</summary>
    private RequestLoad MixtureLoad() => new(Clients, async (index, cancellationToken) =>
    {
        var text = $"Client {index} asks the mixture to score this sentence about experts and domains.";
        var scores = await cluster.Client.ScoreMixtureAsync(Mixture, [text], "uniform").WaitAsync(cancellationToken);
        if (scores.Count != 1) return $"{scores.Count} scores for one text";
        var score = scores[0];
        if (score.LogProbabilities.Count != score.TokenIds.Count - 1) return $"{score.LogProbabilities.Count} log-probabilities for {score.TokenIds.Count} tokens";
        return score.LogProbabilities.All(p => p <= 0 && double.IsFinite(p)) ? null : "a log-probability is positive or not finite";
    }, RequestTimeout);

    private async Task<(LoadFigures Figures, IReadOnlyList<RequestRecord> Failed)> RunPhaseAsync(string phase, Func<RequestLoad> start, Func<Task> meanwhile)
    {
        var clock = Stopwatch.StartNew();
        await using var load = start();
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
