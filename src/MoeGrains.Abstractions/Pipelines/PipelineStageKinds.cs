namespace MoeGrains.Abstractions.Pipelines;

/// <summary>The stage names pipeline files use.</summary>
public static class PipelineStageKinds
{
    /// <summary>Train the shared model on every domain.</summary>
    public const string Seed = "seed";

    /// <summary>Create one expert per domain from the seed checkpoint.</summary>
    public const string Branch = "branch";

    /// <summary>Train the branched experts in parallel.</summary>
    public const string TrainExperts = "train-experts";

    /// <summary>Estimate the cached domain prior.</summary>
    public const string EstimatePrior = "estimate-prior";

    /// <summary>Per-domain perplexities.</summary>
    public const string Evaluate = "evaluate";

    /// <summary>Commit the serving version.</summary>
    public const string Publish = "publish";

    /// <summary>Add a domain expert.</summary>
    public const string AddExpert = "add-expert";

    /// <summary>Retire a domain expert.</summary>
    public const string RetireExpert = "retire-expert";

    /// <summary>Every stage name, in the order a full run uses them.</summary>
    public static IReadOnlyList<string> All { get; } = [Seed, Branch, TrainExperts, EstimatePrior, Evaluate, Publish, AddExpert, RetireExpert];
}
