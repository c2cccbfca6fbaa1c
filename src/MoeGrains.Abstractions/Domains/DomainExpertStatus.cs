using MoeGrains.Abstractions.Training;

namespace MoeGrains.Abstractions.Domains;

/// <summary>A snapshot of one domain expert.</summary>
/// <param name="Expert">The expert's domain.</param>
/// <param name="State">Where its branch training is.</param>
/// <param name="Step">Steps completed.</param>
/// <param name="TotalSteps">Steps asked for.</param>
/// <param name="Loss">Loss of the latest step.</param>
/// <param name="TokensPerSecond">Throughput of the latest step.</param>
/// <param name="Version">Its latest committed checkpoint version (0: none).</param>
/// <param name="Silo">The silo it lives on.</param>
/// <param name="Error">What stopped a failed run, or the last transient failure of a running one; null otherwise.</param>
/// <param name="Resumes">How often the run was resumed from its last committed checkpoint (its silo died, it was deactivated, a step failed).</param>
[GenerateSerializer, Immutable, Alias("moe.DomainExpertStatus")]
public sealed record DomainExpertStatus(
    [property: Id(0)] string Expert,
    [property: Id(1)] TrainingState State,
    [property: Id(2)] long Step,
    [property: Id(3)] long TotalSteps,
    [property: Id(4)] double Loss,
    [property: Id(5)] double TokensPerSecond,
    [property: Id(6)] int Version,
    [property: Id(7)] string Silo,
    [property: Id(8)] string? Error = null,
    [property: Id(9)] int Resumes = 0);
