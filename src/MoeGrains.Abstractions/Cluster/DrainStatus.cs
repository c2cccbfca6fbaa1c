namespace MoeGrains.Abstractions.Cluster;

/// <summary>How far the drain of one silo has come.</summary>
/// <param name="Silo">The silo being drained.</param>
/// <param name="ExpertsAtStart">Expert activations it hosted when the drain started.</param>
/// <param name="ExpertsRemaining">Expert activations it still hosts.</param>
/// <param name="Moves">Moves started so far (an activation that was busy is asked again).</param>
/// <param name="Elapsed">Time since the drain started.</param>
[GenerateSerializer, Immutable, Alias("moe.DrainStatus")]
public sealed record DrainStatus(
    [property: Id(0)] string Silo,
    [property: Id(1)] int ExpertsAtStart,
    [property: Id(2)] int ExpertsRemaining,
    [property: Id(3)] int Moves,
    [property: Id(4)] TimeSpan Elapsed)
{
    /// <summary>True once the silo hosts no expert.</summary>
    public bool Completed => ExpertsRemaining == 0;
}
