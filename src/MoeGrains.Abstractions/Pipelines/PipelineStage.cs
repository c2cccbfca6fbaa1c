namespace MoeGrains.Abstractions.Pipelines;

/// <summary>One stage of a pipeline. Every stage is idempotent: run again, it resumes from its last committed checkpoint.</summary>
/// <param name="Line">The stage's line in the pipeline file, for messages.</param>
[GenerateSerializer, Immutable, Alias("moe.PipelineStage")]
public abstract record PipelineStage([property: Id(0)] int Line)
{
    /// <summary>The stage's name as written in pipeline files (seed, branch, train-experts, …).</summary>
    public abstract string Kind { get; }

    /// <summary>True for stages that change the model's weights or expert set.</summary>
    public virtual bool ChangesModel => true;
}
