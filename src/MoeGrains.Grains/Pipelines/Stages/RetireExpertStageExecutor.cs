using MoeGrains.Abstractions.Pipelines;

namespace MoeGrains.Grains.Pipelines.Stages;

/// <summary>Retires an expert (a new mixture version without it; its checkpoints stay archived). Already retired counts as done.</summary>
internal sealed class RetireExpertStageExecutor : StageExecutor<RetireExpertStage>
{
    public override string Kind => PipelineStageKinds.RetireExpert;

    protected override async Task<StageOutcome> AdvanceAsync(StageContext context, RetireExpertStage stage, CancellationToken cancellationToken)
    {
        var mixture = DomainExperts.Mixture(context);
        var status = await mixture.GetStatusAsync();
        if (!status.Experts.Contains(stage.Expert) && status.Archived.Contains(stage.Expert))
            return StageOutcome.Finished($"{stage.Expert} retired; mixture v{status.Version}");
        status = await mixture.RetireExpertAsync(stage.Expert);
        return StageOutcome.Finished($"{stage.Expert} retired; mixture v{status.Version}");
    }
}
