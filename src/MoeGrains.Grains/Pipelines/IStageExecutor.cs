namespace MoeGrains.Grains.Pipelines;

/// <summary>
/// Runs one kind of stage as a series of short turns. Every turn must be idempotent: after a crash the run grain calls
/// it again with the same persisted markers, and the stage must continue from its last committed checkpoint instead of
/// redoing or duplicating work. Throw to report a failure: <see cref="ArgumentException"/> stops the run at once (the
/// definition or the model is wrong), anything else is retried with back-off.
/// </summary>
internal interface IStageExecutor
{
    /// <summary>The stage name it runs (<see cref="Abstractions.Pipelines.PipelineStageKinds"/>).</summary>
    string Kind { get; }

    /// <summary>One turn: start, observe or finish the stage's work.</summary>
    Task<StageOutcome> AdvanceAsync(StageContext context, CancellationToken cancellationToken);

    /// <summary>Stops work the stage started in the cluster (e.g. a training run); a later turn may start it again.</summary>
    Task CancelAsync(StageContext context);
}
