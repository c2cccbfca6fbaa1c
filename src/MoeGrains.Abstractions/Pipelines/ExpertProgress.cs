namespace MoeGrains.Abstractions.Pipelines;

/// <summary>Progress of one expert's training inside a stage.</summary>
/// <param name="Expert">Expert name (its domain).</param>
/// <param name="Step">Steps done.</param>
/// <param name="Steps">Steps asked for.</param>
/// <param name="Loss">Loss of the latest step.</param>
/// <param name="TokensPerSecond">Throughput of the latest step.</param>
[GenerateSerializer, Immutable, Alias("moe.ExpertProgress")]
public sealed record ExpertProgress(
    [property: Id(0)] string Expert,
    [property: Id(1)] long Step,
    [property: Id(2)] long Steps,
    [property: Id(3)] double Loss,
    [property: Id(4)] double TokensPerSecond);
