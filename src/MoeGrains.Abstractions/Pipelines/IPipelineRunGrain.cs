using Orleans.Concurrency;

namespace MoeGrains.Abstractions.Pipelines;

/// <summary>
/// Owns one pipeline run (keyed by run id): persists where the run is, carries it through silo and cluster restarts
/// (a reminder re-activates it), retries transient failures with back-off and stops at a stage that keeps failing.
/// </summary>
[Alias("moe.IPipelineRunGrain")]
public interface IPipelineRunGrain : IGrainWithStringKey
{
    /// <summary>Starts the run; fails with <see cref="ArgumentException"/> when a run with this id already exists.</summary>
    [Alias("Start")]
    Task<PipelineRunStatus> StartAsync(PipelineDefinition definition);

    /// <summary>Where the run is: its state, every stage's progress, and per-expert progress of the stage in flight.</summary>
    [Alias("GetStatus"), AlwaysInterleave]
    Task<PipelineRunStatus> GetStatusAsync();

    /// <summary>Stops the run after the stage turn in progress; <see cref="ResumeAsync"/> continues it.</summary>
    [Alias("Cancel"), AlwaysInterleave]
    Task<PipelineRunStatus> CancelAsync();

    /// <summary>Continues a failed or cancelled run from its current stage (which resumes from its last committed checkpoint).</summary>
    [Alias("Resume")]
    Task<PipelineRunStatus> ResumeAsync();
}
