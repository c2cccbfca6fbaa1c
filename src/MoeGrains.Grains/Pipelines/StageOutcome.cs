using MoeGrains.Abstractions.Pipelines;

namespace MoeGrains.Grains.Pipelines;

/// <summary>What one turn of a stage achieved: finished, or still working (with what it is doing).</summary>
internal sealed record StageOutcome(bool Done, string Message, IReadOnlyList<ExpertProgress> Experts)
{
    public static StageOutcome Finished(string message) => new(true, message, []);

    public static StageOutcome Working(string message, IReadOnlyList<ExpertProgress>? experts = null) => new(false, message, experts ?? []);
}
