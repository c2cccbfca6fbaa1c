using System.Diagnostics;
using System.Globalization;
using MoeGrains.Abstractions.Domains;
using MoeGrains.Abstractions.Pipelines;
using MoeGrains.Abstractions.Training;
using MoeGrains.Faults.Tests.Cluster;
using Xunit.Abstractions;

namespace MoeGrains.Faults.Tests.Pipelines;

/// <summary>
/// The pipeline acceptance test: a DEMix run (seed → branch → train-experts → estimate-prior → evaluate → publish) on the
/// multi-process cluster loses every silo process during <c>train-experts</c>; the cluster is started again and nobody touches
/// the run. Its reminder (Azure table) must re-activate it, and it must finish with the model an uninterrupted run with the
/// same seeds builds.
/// </summary>
[Collection(FaultClusterCollection.Name)]
public sealed class WholeClusterRestartTests(FaultCluster cluster, ITestOutputHelper output)
{
    private const int Seed = 17;
    private const string Dataset = "pipeline";
    private const int ExpertSteps = 150;
    private const int CheckpointEvery = 50;
    private const int TrainExpertsStage = 2;
    private static readonly TimeSpan RunBound = TimeSpan.FromMinutes(3);
    // After a whole-cluster restart the first turns can wait for Orleans' membership to settle (see the README's figures).
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromMinutes(5);
    private readonly Dictionary<string, TimeSpan> timeline = [];

    private string CorpusFolder => Path.Combine(Path.GetDirectoryName(cluster.CorpusFolder)!, "pipeline-corpus");

    [Fact]
    public async Task A_pipeline_run_killed_with_the_whole_cluster_during_train_experts_finishes_by_itself_with_the_uninterrupted_model()
    {
        await cluster.RestoreAsync();
        FaultCorpus.Write(CorpusFolder, charactersPerSplit: 2000); // small splits keep the prior and evaluation stages short
        var clock = Stopwatch.StartNew();
        var reference = await cluster.Client.RunPipelineAsync(Definition("demix-uninterrupted"), "pipeline-uninterrupted");
        var referenceFinal = await reference.WaitAsync(TimeSpan.FromMilliseconds(250)).WaitAsync(RunBound);
        Assert.True(referenceFinal.State == PipelineRunState.Completed, $"the uninterrupted run ended {referenceFinal.State}: {referenceFinal.Error}\n{cluster.Silos.Output()}");
        var uninterrupted = clock.Elapsed;
        output.WriteLine($"uninterrupted run: {uninterrupted.TotalSeconds:F1} s; stages: {string.Join(", ", referenceFinal.Stages.Select(stage => $"{stage.Kind} {StageSeconds(stage):F1} s"))}");

        const string model = "demix-restarted", runId = "pipeline-restarted";
        var run = await cluster.Client.RunPipelineAsync(Definition(model), runId);
        var atKill = await WaitForExpertProgressAsync(run, model);
        await Task.WhenAll(cluster.Silos.Silos.Select(silo => silo.KillAsync()));
        var committedAtKill = await CommittedAsync(model, atKill.Keys);
        output.WriteLine($"killed every silo during train-experts at expert steps {Describe(atKill)} (committed {Describe(committedAtKill.ToDictionary(p => p.Key, p => p.Value.Step))})");

        var restart = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, cluster.Silos.Silos.Count).Select(cluster.Silos.RestartAsync));
        var listening = restart.Elapsed;
        // Nobody calls the run grain until it has finished: only its reminder can bring it back.
        await WaitForLogAsync($"Pipeline run {runId} activated at stage {TrainExpertsStage}", runId, restart, RunBound);
        var reactivated = restart.Elapsed;
        await WaitForLogAsync($"Pipeline run {runId} completed", runId, restart, RecoveryBound);
        var finished = restart.Elapsed;
        output.WriteLine($"after the restart: silos listening {listening.TotalSeconds:F1} s, run re-activated {reactivated.TotalSeconds:F1} s, completed {finished.TotalSeconds:F1} s");

        await cluster.WaitUntilServingAsync(TimeSpan.FromSeconds(120));
        var final = await run.GetStatusAsync();
        Assert.True(final.State == PipelineRunState.Completed, $"{final.State}: {final.Error}");
        Assert.All(final.Stages, stage => Assert.Equal(StageState.Completed, stage.State));

        var expected = await cluster.Client.GetDomainMixtureAsync("demix-uninterrupted");
        var actual = await cluster.Client.GetDomainMixtureAsync(model);
        Assert.Equal(expected.Experts, actual.Experts);
        Assert.Equal(FaultCorpus.Domains, actual.Experts.Order(StringComparer.Ordinal));
        var difference = await LargestPerplexityDifferenceAsync("demix-uninterrupted", model);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"largest relative per-domain perplexity difference to the uninterrupted run: {difference.Relative:E2} ({difference.What})"));
        Assert.True(difference.Relative <= 0.01, $"perplexities differ by {difference.Relative:P3} ({difference.What})");

        var lost = await StepsLostAsync(model, atKill, committedAtKill);
        var verified = await cluster.VerifyCommittedAsync();
        FaultReport.Record(new FaultFigures("every silo killed during a pipeline's train-experts", 0, 0, lost, verified, finished,
            string.Create(CultureInfo.InvariantCulture,
                $"run re-activated by its reminder and completed {finished.TotalSeconds:F0} s after the restart (silos listening after " +
                $"{listening.TotalSeconds:F0} s; the uninterrupted run took {uninterrupted.TotalSeconds:F0} s); killed at expert steps {Describe(atKill)}; " +
                $"same experts, largest perplexity difference {difference.Relative:E1}")), output);
        await cluster.RestoreAsync();
    }

    private PipelineDefinition Definition(string model) => new($"crash-{model}",
        new PipelineModel(model, "tiny", "domain", "bytes", Seed),
        [new PipelineDataset(Dataset, CorpusFolder, FaultCorpus.Domains)],
        [
            new SeedStage(1, Dataset, Steps: 6, BatchSize: 4, LearningRate: 1e-2, CheckpointEvery: 3),
            new BranchStage(2, []),
            new TrainExpertsStage(3, ExpertSteps, BatchSize: 4, LearningRate: 1e-2, CheckpointEvery: CheckpointEvery),
            new EstimatePriorStage(4, Dataset, "valid", Blocks: 8),
            new EvaluateStage(5, Dataset, "valid", ["uniform", "cached", "topk:2"]),
            new PublishStage(6),
        ]);

    /// <summary>
    /// Waits until the run is in train-experts and some expert has passed its first checkpoint (the kill then interrupts
    /// committed and uncommitted work); returns every expert's step at that moment.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, long>> WaitForExpertProgressAsync(Client.PipelineRunHandle run, string model)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < RunBound)
        {
            var status = await run.GetStatusAsync();
            Assert.True(status.State == PipelineRunState.Running, $"the run ended {status.State} before train-experts: {status.Error}");
            Assert.True(status.CurrentStage <= TrainExpertsStage, $"the run passed train-experts before it could be interrupted: {status.Stages[TrainExpertsStage].Message}");
            if (status.CurrentStage == TrainExpertsStage && status.Stages[TrainExpertsStage].Experts.Count > 0)
            {
                var training = (await cluster.Client.GetDomainMixtureAsync(model)).Training;
                Assert.False(training.Count > 0 && training.All(e => e.State == TrainingState.Completed), "every expert finished before the kill");
                if (training.Any(e => e.Step > CheckpointEvery)) return training.ToDictionary(e => e.Expert, e => e.Step);
                await Task.Delay(20);
                continue;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"train-experts made no progress within {RunBound.TotalSeconds} s\n{cluster.Silos.Output()}");
    }

    /// <summary>Each expert's latest committed version and its step (0, 0 before the first commit).</summary>
    private async Task<Dictionary<string, (long Version, long Step)>> CommittedAsync(string model, IEnumerable<string> experts)
    {
        var committed = new Dictionary<string, (long, long)>();
        foreach (var expert in experts)
        {
            var store = DomainExpertNames.StoreName(model, expert);
            committed[expert] = await cluster.Store.LatestVersionAsync(store) is { } latest ? (latest, (await cluster.Store.ReadManifestAsync(store, latest)).Step) : (0, 0);
        }
        return committed;
    }

    /// <summary>
    /// Steps done before the kill that were trained again: per expert, its step at the kill minus the step its work after the
    /// restart started from (the step of the first version committed after the kill, less one checkpoint interval).
    /// </summary>
    private async Task<long> StepsLostAsync(string model, IReadOnlyDictionary<string, long> atKill, IReadOnlyDictionary<string, (long Version, long Step)> committedAtKill)
    {
        long lost = 0;
        foreach (var (expert, step) in atKill)
        {
            var store = DomainExpertNames.StoreName(model, expert);
            var first = (await cluster.Store.ListVersionsAsync(store)).Where(v => v > committedAtKill[expert].Version).Order().FirstOrDefault();
            if (first == 0) continue; // it had finished before the kill
            var restartedFrom = (await cluster.Store.ReadManifestAsync(store, first)).Step - CheckpointEvery;
            lost += Math.Max(0, step - Math.Max(0, restartedFrom));
        }
        return lost;
    }

    private async Task<(double Relative, string What)> LargestPerplexityDifferenceAsync(string expectedModel, string actualModel)
    {
        var expected = await cluster.Client.EvaluateMixtureAsync(expectedModel, Dataset, "valid", topK: 2);
        var actual = await cluster.Client.EvaluateMixtureAsync(actualModel, Dataset, "valid", topK: 2);
        Assert.Equal(expected.Domains.Select(d => d.Domain), actual.Domains.Select(d => d.Domain));
        var largest = (Relative: -1.0, What: "");
        foreach (var (e, a) in expected.Domains.Zip(actual.Domains))
        {
            var pairs = new List<(string, double, double)> { ("uniform", e.Uniform, a.Uniform), ("updating", e.Updating, a.Updating), ("cached", e.Cached, a.Cached) };
            if (e.TopK is { } k && a.TopK is { } l) pairs.Add(("top-2", k, l));
            pairs.AddRange(e.Experts.Select(x => ($"expert {x.Key}", x.Value, a.Experts[x.Key])));
            foreach (var (what, x, y) in pairs)
            {
                var relative = Math.Abs(y - x) / x;
                if (relative > largest.Relative)
                    largest = (relative, string.Create(CultureInfo.InvariantCulture, $"{e.Domain}, {what}: {x:F6} uninterrupted, {y:F6} restarted"));
            }
        }
        return largest;
    }

    /// <summary>Waits until a silo logs <paramref name="line"/>; notes when each of the run's log lines first appeared.</summary>
    private async Task WaitForLogAsync(string line, string runId, Stopwatch restart, TimeSpan bound)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var text = SinceRestart();
            foreach (var logged in text.Split('\n').Where(l => l.Contains(runId, StringComparison.Ordinal)).Select(l => l.Trim()))
                if (timeline.TryAdd(logged, restart.Elapsed)) output.WriteLine($"{restart.Elapsed.TotalSeconds,6:F1} s  {(logged.Length > 200 ? logged[..200] : logged)}");
            if (text.Contains(line, StringComparison.Ordinal)) return;
            Assert.True(clock.Elapsed < bound, $"'{line}' not logged within {bound.TotalSeconds} s\n{cluster.Silos.Output(12000)}");
            await Task.Delay(250);
        }
    }

    /// <summary>What the silo processes printed since the restart.</summary>
    private string SinceRestart() => string.Join('\n', cluster.Silos.Silos.Select(silo =>
    {
        var text = silo.Output();
        var marker = text.LastIndexOf("----- restarted -----", StringComparison.Ordinal);
        return marker < 0 ? text : text[marker..];
    }));

    private static string Describe(IReadOnlyDictionary<string, long> steps) =>
        string.Join(", ", steps.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}"));

    private static double StageSeconds(StageStatus stage) =>
        stage.StartedAt is { } start && stage.CompletedAt is { } end ? (end - start).TotalSeconds : double.NaN;
}
