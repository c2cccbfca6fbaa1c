using System.Globalization;
using MoeGrains.Abstractions.Domains;
using MoeGrains.Abstractions.Pipelines;
using MoeGrains.Abstractions.Training;
using MoeGrains.Model.Domains;

namespace MoeGrains.Grains.Pipelines.Stages;

/// <summary>
/// Adds a domain expert through the mixture (initialised from the highest-posterior expert, FFNs trained at
/// lr-scale × the run's learning rate) and waits for the version that contains it.
/// </summary>
internal sealed class AddExpertStageExecutor : StageExecutor<AddExpertStage>
{
    public override string Kind => PipelineStageKinds.AddExpert;

    protected override async Task<StageOutcome> AdvanceAsync(StageContext context, AddExpertStage stage, CancellationToken cancellationToken)
    {
        var mixture = DomainExperts.Mixture(context);
        var status = await mixture.GetStatusAsync();
        if (status.Experts.Contains(stage.Domain) && context.Markers.ContainsKey(DomainExperts.Started))
            return StageOutcome.Finished($"added {stage.Domain}; mixture v{status.Version}");
        var adding = status.Training.Where(expert => expert.Expert == stage.Domain).ToList();
        if (adding.Any(expert => expert.State == TrainingState.Failed))
            throw new InvalidOperationException($"adding expert {stage.Domain} failed: {adding[0].Error}");
        if (adding.Count > 0) return StageOutcome.Working($"training {stage.Domain}", DomainExperts.Progress(status));

        var baseRate = context.Definition.Stages.OfType<TrainExpertsStage>().FirstOrDefault()?.LearningRate
            ?? context.Definition.Stages.OfType<SeedStage>().FirstOrDefault()?.LearningRate ?? 3e-3;
        // The mixture applies its own 0.1 factor to an added expert's rate; scale so the stage's lr-scale is what applies.
        var request = new DomainExpertTrainingRequest(stage.Dataset, 0, stage.Steps, LearningRate: baseRate * stage.LearningRateScale / BranchTraining.AddedExpertLearningRateFactor,
            Seed: context.Model.Seed);
        status = await mixture.AddExpertAsync(stage.Domain, request);
        context.Markers[DomainExperts.Started] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        return StageOutcome.Working($"training {stage.Domain}", DomainExperts.Progress(status));
    }
}
