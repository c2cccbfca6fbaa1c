using MoeGrains.Abstractions.Pipelines;

namespace MoeGrains.Grains.Pipelines;

/// <summary>Base of executors for one stage record type.</summary>
internal abstract class StageExecutor<TStage> : IStageExecutor where TStage : PipelineStage
{
    public abstract string Kind { get; }

    public Task<StageOutcome> AdvanceAsync(StageContext context, CancellationToken cancellationToken) =>
        AdvanceAsync(context, (TStage)context.Stage, cancellationToken);

    public virtual Task CancelAsync(StageContext context) => Task.CompletedTask;

    protected abstract Task<StageOutcome> AdvanceAsync(StageContext context, TStage stage, CancellationToken cancellationToken);
}
