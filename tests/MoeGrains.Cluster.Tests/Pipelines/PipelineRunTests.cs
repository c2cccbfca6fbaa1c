using MoeGrains.Abstractions.Models;
using MoeGrains.Abstractions.Pipelines;
using MoeGrains.Abstractions.Training;
using MoeGrains.Client;
using MoeGrains.Cluster.Tests.Equivalence;
using MoeGrains.Cluster.Tests.Placement;
using Orleans.TestingHost;

namespace MoeGrains.Cluster.Tests.Pipelines;

/// <summary>Pipeline runs on a two-silo cluster (router silo + expert silo) with a local store: progress, failure, resume, cancel.</summary>
public sealed class PipelineRunTests : IAsyncLifetime
{
    private readonly string root = Directory.CreateTempSubdirectory("moe-pipeline-").FullName;
    private InProcessTestCluster cluster = null!;
    private MoeClient client = null!;

    private string CorpusFolder => Path.Combine(root, "corpus");

    public async Task InitializeAsync()
    {
        TestCorpus.WriteShortValid(CorpusFolder);
        cluster = await ExpertTestCluster.StartAsync(Silo(expertSlots: 0), Silo(expertSlots: 64));
        client = new MoeClient(cluster.Client);
    }

    private Dictionary<string, string?> Silo(int expertSlots)
    {
        var settings = ExpertTestCluster.Accelerator(expertSlots);
        settings["MoeGrains:Checkpoints:Kind"] = "Local";
        settings["MoeGrains:Checkpoints:LocalRoot"] = Path.Combine(root, "store");
        settings["MoeGrains:Pipelines:PollInterval"] = "00:00:00.200";
        settings["MoeGrains:Pipelines:InitialBackoff"] = "00:00:00.100";
        settings["MoeGrains:Pipelines:MaxAttempts"] = "3";
        return settings;
    }

    public async Task DisposeAsync()
    {
        await cluster.DisposeAsync();
        Directory.Delete(root, recursive: true);
    }

    private PipelineDefinition Seeding(string model, string dataset, int steps) => new("seed-only",
        new PipelineModel(model, "tiny", "switch", "bytes", 5),
        [new PipelineDataset(dataset, CorpusFolder, [.. Directory.GetDirectories(CorpusFolder).Select(Path.GetFileName).OfType<string>().Order()])],
        [new SeedStage(3, dataset, steps, BatchSize: 4, CheckpointEvery: 4)]);

    [Fact(Timeout = 240_000)]
    public async Task A_seed_stage_creates_and_trains_the_model_and_the_run_completes()
    {
        var handle = await client.RunPipelineAsync(Seeding("pipe-seeded", "pipe-data", steps: 6), "run-complete");
        var final = await Finished(handle);

        Assert.Equal(PipelineRunState.Completed, final.State);
        var stage = Assert.Single(final.Stages);
        Assert.Equal((StageState.Completed, 1), (stage.State, stage.Attempts));
        Assert.NotNull(stage.CompletedAt);
        var info = await client.GetModelAsync("pipe-seeded");
        Assert.Equal(6, info.Step);
        Assert.Contains("committed v", stage.Message);
        Assert.Contains("run-complete", (await client.ListPipelineRunsAsync()).Select(run => run.RunId));
        var again = await Assert.ThrowsAsync<ArgumentException>(() => client.RunPipelineAsync(Seeding("pipe-other", "pipe-data", 1), "run-complete"));
        Assert.Contains("already exists", again.Message);
    }

    [Fact(Timeout = 240_000)]
    public async Task A_failing_stage_stops_the_run_with_its_error_and_resume_continues_after_the_cause_is_fixed()
    {
        // The dataset is not uploaded: the seed's training cannot start.
        var run = cluster.Client.GetGrain<IPipelineRunGrain>("run-missing-data");
        await run.StartAsync(Seeding("pipe-missing", "not-uploaded", steps: 3));
        var failed = await Finished(client.GetPipelineRun("run-missing-data"));

        Assert.Equal(PipelineRunState.Failed, failed.State);
        Assert.Contains("stage 'seed' (line 3)", failed.Error);
        Assert.Contains("not-uploaded", failed.Error);
        Assert.Equal(StageState.Failed, failed.Stages[0].State);

        await client.UploadDatasetAsync("not-uploaded", CorpusFolder);
        await client.GetPipelineRun("run-missing-data").ResumeAsync();
        var resumed = await Finished(client.GetPipelineRun("run-missing-data"));

        Assert.Equal(PipelineRunState.Completed, resumed.State);
        Assert.Null(resumed.Error);
        Assert.Equal(3, (await client.GetModelAsync("pipe-missing")).Step);
    }

    [Fact(Timeout = 240_000)]
    public async Task Cancel_stops_the_training_it_started_and_resume_finishes_the_remaining_steps()
    {
        var handle = await client.RunPipelineAsync(Seeding("pipe-cancelled", "pipe-cancel-data", steps: 40), "run-cancel");
        await foreach (var status in handle.WatchAsync(TimeSpan.FromMilliseconds(100)))
            if (status.Stages[0].Experts.Count > 0 && status.Stages[0].Experts[0].Step >= 2) break;
        var cancelled = await handle.CancelAsync();
        Assert.Equal(PipelineRunState.Cancelled, cancelled.State);

        var router = cluster.Client.GetGrain<IRouterGrain>("pipe-cancelled");
        TrainingStatus training;
        do training = await router.GetTrainingStatusAsync(); while (training.State == TrainingState.Running && await Delay());
        Assert.Equal(TrainingState.Cancelled, training.State);
        Assert.True(training.Step < 40, $"training went on to step {training.Step}");

        await handle.ResumeAsync();
        var final = await Finished(handle);
        Assert.Equal(PipelineRunState.Completed, final.State);
        Assert.Equal(40, (await client.GetModelAsync("pipe-cancelled")).Step);
    }

    [Fact(Timeout = 240_000)]
    public async Task A_domain_expert_run_seeds_branches_trains_the_experts_in_parallel_evaluates_publishes_and_changes_the_expert_set()
    {
        var domains = Directory.GetDirectories(CorpusFolder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).Take(3).ToArray();
        var definition = new PipelineDefinition("demix", new PipelineModel("pipe-demix", "tiny", "domain", "bytes", 7),
            [new PipelineDataset("pipe-demix-data", CorpusFolder, domains)],
            [
                new SeedStage(3, "pipe-demix-data", 6, BatchSize: 4, CheckpointEvery: 3),
                new BranchStage(4, [domains[0], domains[1]]),
                new TrainExpertsStage(5, 4, BatchSize: 4, CheckpointEvery: 2),
                new EstimatePriorStage(6, "pipe-demix-data", "valid", Blocks: 4),
                new EvaluateStage(7, "pipe-demix-data", "valid", ["uniform", "cached", "topk:1"]),
                new AddExpertStage(8, domains[2], "pipe-demix-data", Steps: 3),
                new RetireExpertStage(9, domains[0]),
                new PublishStage(10),
            ]);

        var final = await Finished(await client.RunPipelineAsync(definition, "run-demix"));

        Assert.True(final.State == PipelineRunState.Completed, $"{final.State}: {final.Error}");
        Assert.All(final.Stages, stage => Assert.Equal(StageState.Completed, stage.State));
        var mixture = await cluster.Client.GetGrain<MoeGrains.Abstractions.Domains.IDomainMixtureGrain>("pipe-demix").GetStatusAsync();
        Assert.Equal([domains[1], domains[2]], mixture.Experts.Order(StringComparer.Ordinal));
        Assert.Contains(domains[0], mixture.Archived);
        Assert.Contains($"serving mixture v{mixture.Version}", final.Stages[^1].Message);
        Assert.Contains("2 experts trained", final.Stages[2].Message);
        Assert.Contains("cached", final.Stages[4].Message);
    }

    [Fact(Timeout = 240_000)]
    public async Task Unknown_runs_and_bad_definitions_are_refused_by_name()
    {
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => client.GetPipelineRun("no-such-run").GetStatusAsync());
        Assert.Contains("'no-such-run'", unknown.Message);

        var empty = Seeding("pipe-empty", "pipe-data", 1) with { Stages = [] };
        var noStages = await Assert.ThrowsAsync<ArgumentException>(() => cluster.Client.GetGrain<IPipelineRunGrain>("run-empty").StartAsync(empty));
        Assert.Contains("no stages", noStages.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetPipelineRun("run-empty").GetStatusAsync());
    }

    /// <summary>The run's final status; fails with the last status seen when the run is still going after two minutes.</summary>
    private static async Task<PipelineRunStatus> Finished(PipelineRunHandle handle)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        PipelineRunStatus last = await handle.GetStatusAsync();
        try
        {
            await foreach (var status in handle.WatchAsync(TimeSpan.FromMilliseconds(200), limit.Token)) last = status;
            return last;
        }
        catch (OperationCanceledException)
        {
            var stage = last.Stages[Math.Min(last.CurrentStage, last.Stages.Count - 1)];
            throw new TimeoutException($"run {last.RunId} still {last.State} after 2 min: stage {stage.Kind} {stage.State} '{stage.Message}' error '{stage.Error}'");
        }
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(100);
        return true;
    }
}
