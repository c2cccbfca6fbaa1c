using Microsoft.Extensions.Logging;
using MoeGrains.Abstractions.Models;
using MoeGrains.Abstractions.Pipelines;
using MoeGrains.Abstractions.Training;

namespace MoeGrains.Grains.Pipelines.Stages;

/// <summary>
/// Phase 1: creates the model (the domain gate gets one expert per dataset domain) and trains it through the router
/// until its committed step reaches the stage's steps. The router itself resumes from its last checkpoint when it is
/// re-activated mid-run; when its run failed, the next attempt trains the remaining steps from the last checkpoint.
/// </summary>
internal sealed class SeedStageExecutor : StageExecutor<SeedStage>
{
    private const string Created = "created", RestartPending = "restart-pending";

    public override string Kind => PipelineStageKinds.Seed;

    protected override async Task<StageOutcome> AdvanceAsync(StageContext context, SeedStage stage, CancellationToken cancellationToken)
    {
        var router = context.Grains.GetGrain<IRouterGrain>(context.Model.Name);
        if (!context.Markers.ContainsKey(Created))
        {
            await CreateOrAdoptAsync(context, router, context.Dataset(stage.Dataset));
            context.Markers[Created] = "true";
        }

        var status = await router.GetTrainingStatusAsync();
        if (status.State == TrainingState.Running)
            return StageOutcome.Working($"step {status.Step}/{stage.Steps}",
                [new ExpertProgress("shared", status.Step, stage.Steps, status.Loss, status.TokensPerSecond)]);

        var info = await router.GetInfoAsync();
        if (info.Step >= stage.Steps) return StageOutcome.Finished($"trained {info.Step} steps, committed v{info.Version}");
        if (status.State == TrainingState.Failed && !context.Markers.ContainsKey(RestartPending))
        {
            context.Markers[RestartPending] = "true";
            throw new InvalidOperationException($"training of '{context.Model.Name}' failed at step {status.Step}: {status.Error}");
        }

        context.Markers.Remove(RestartPending);
        var remaining = stage.Steps - (int)info.Step;
        await router.StartTrainingAsync(new TrainingRequest(stage.Dataset, remaining, stage.BatchSize, stage.LearningRate,
            context.Model.Seed, stage.CheckpointEvery));
        context.Logger.LogInformation("Run {Run}: training {Model} for {Steps} steps from committed step {Step}", context.RunId, context.Model.Name,
            remaining, info.Step);
        return StageOutcome.Working($"step {info.Step}/{stage.Steps}");
    }

    public override Task CancelAsync(StageContext context) =>
        context.Grains.GetGrain<IRouterGrain>(context.Model.Name).CancelTrainingAsync();

    /// <summary>
    /// Creates the model; a model of that name that is untrained and not training is adopted (a crash can fall between
    /// creating it and recording that), anything else is an error: the run must not overwrite another model.
    /// </summary>
    private static async Task CreateOrAdoptAsync(StageContext context, IRouterGrain router, PipelineDataset dataset)
    {
        var model = context.Model;
        var spec = new ModelSpec(model.Config, model.Gate, model.Tokenizer, model.Seed,
            Domains: model.Gate == "domain" ? dataset.Domains : null);
        try
        {
            await router.CreateAsync(spec);
            return;
        }
        catch (ArgumentException e) when (e.Message.Contains("already exists", StringComparison.Ordinal))
        {
            if (!await IsUntrainedAsync(router))
                throw new ArgumentException($"Model '{model.Name}' already exists and has been trained; a seed stage must not overwrite it " +
                    "(choose another model name, or set model.existing: true and drop the seed stage).", e);
        }
        context.Logger.LogInformation("Run {Run}: model {Model} exists untrained; adopting it", context.RunId, model.Name);
    }

    private static async Task<bool> IsUntrainedAsync(IRouterGrain router)
    {
        try
        {
            var info = await router.GetInfoAsync();
            var status = await router.GetTrainingStatusAsync();
            return info.Step == 0 && status.State == TrainingState.Idle;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
