using System.Globalization;
using MoeGrains.Abstractions.Domains;
using MoeGrains.Abstractions.Pipelines;
using MoeGrains.Abstractions.Training;

namespace MoeGrains.Grains.Pipelines.Stages;

/// <summary>
/// Phase 2: starts every branched expert on its own domain at once and waits until the mixture commits its first
/// version. After a silo or whole-cluster restart the mixture and its experts pick their runs up from grain storage and the
/// last checkpoints; should that state be gone (memory grain storage), the stage starts them again: with the same seeds a
/// restarted expert reaches the same weights as an uninterrupted one.
/// </summary>
internal sealed class TrainExpertsStageExecutor : StageExecutor<TrainExpertsStage>
{
    public override string Kind => PipelineStageKinds.TrainExperts;

    protected override async Task<StageOutcome> AdvanceAsync(StageContext context, TrainExpertsStage stage, CancellationToken cancellationToken)
    {
        var (branch, domains, sharedVersion) = DomainExperts.Branch(context);
        var mixture = DomainExperts.Mixture(context);
        var status = await mixture.GetStatusAsync();
        if (!context.Markers.TryGetValue(DomainExperts.BaseVersion, out var baseText))
            context.Markers[DomainExperts.BaseVersion] = baseText = status.Version.ToString(CultureInfo.InvariantCulture);
        if (status.Version > int.Parse(baseText, CultureInfo.InvariantCulture))
            return StageOutcome.Finished($"{status.Experts.Count} experts trained; mixture v{status.Version}");

        if (status.Training.Any(expert => expert.State == TrainingState.Failed))
            throw new InvalidOperationException(string.Join("; ", status.Training.Where(e => e.State == TrainingState.Failed).Select(e => $"expert {e.Expert}: {e.Error}")));
        if (status.Training.Count > 0)
            return StageOutcome.Working($"{status.Training.Count(e => e.State == TrainingState.Completed)}/{status.Training.Count} experts done",
                DomainExperts.Progress(status));

        var request = new DomainExpertTrainingRequest(DomainExperts.Dataset(context), sharedVersion, stage.Steps, stage.BatchSize, stage.LearningRate,
            context.Model.Seed, stage.CheckpointEvery, AllParameters: branch.TrainAll);
        status = await mixture.TrainExpertsAsync(domains, request);
        context.Markers[DomainExperts.Started] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        return StageOutcome.Working($"started {domains.Count} experts", DomainExperts.Progress(status));
    }
}
