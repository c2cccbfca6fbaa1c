namespace MoeGrains.Abstractions.Pipelines;

/// <summary>One stage of a run as the run grain last saw it.</summary>
/// <param name="Kind">Stage name (seed, branch, …).</param>
/// <param name="Line">Its line in the pipeline file.</param>
/// <param name="State">Where it is.</param>
/// <param name="Attempts">Attempts so far (1 when it never failed).</param>
/// <param name="StartedAt">When its first attempt started.</param>
/// <param name="CompletedAt">When it finished.</param>
/// <param name="Message">What it did or is doing, e.g. "step 40/100" or "committed v3".</param>
/// <param name="Error">The last failure, if any.</param>
/// <param name="Experts">Per-expert progress (train-experts, add-expert).</param>
[GenerateSerializer, Immutable, Alias("moe.StageStatus")]
public sealed record StageStatus(
    [property: Id(0)] string Kind,
    [property: Id(1)] int Line,
    [property: Id(2)] StageState State,
    [property: Id(3)] int Attempts,
    [property: Id(4)] DateTimeOffset? StartedAt,
    [property: Id(5)] DateTimeOffset? CompletedAt,
    [property: Id(6)] string? Message,
    [property: Id(7)] string? Error,
    [property: Id(8)] IReadOnlyList<ExpertProgress> Experts);
