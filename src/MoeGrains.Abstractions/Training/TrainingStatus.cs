namespace MoeGrains.Abstractions.Training;

/// <summary>A snapshot of a training run.</summary>
/// <param name="State">Where the run is.</param>
/// <param name="Step">Steps completed.</param>
/// <param name="TotalSteps">Steps asked for.</param>
/// <param name="Loss">Loss of the latest step.</param>
/// <param name="TokensPerSecond">Throughput of the latest step.</param>
/// <param name="Version">Latest committed checkpoint version.</param>
/// <param name="Losses">Every step's loss so far, in order.</param>
/// <param name="Error">What stopped a failed run; null otherwise.</param>
/// <param name="Restarts">How many times the run rolled back to its last checkpoint after losing an expert.</param>
/// <param name="StorageOutage">True while the checkpoint store is unreachable: the run waits, retrying with back-off, and resumes when it returns.</param>
/// <param name="LastError">The latest transient error the run recovered from or is retrying (an outage, a lost expert); null if none.</param>
[GenerateSerializer, Immutable, Alias("moe.TrainingStatus")]
public sealed record TrainingStatus(
    [property: Id(0)] TrainingState State,
    [property: Id(1)] long Step,
    [property: Id(2)] long TotalSteps,
    [property: Id(3)] double Loss,
    [property: Id(4)] double TokensPerSecond,
    [property: Id(5)] int Version,
    [property: Id(6)] IReadOnlyList<double> Losses,
    [property: Id(7)] string? Error = null,
    [property: Id(8)] int Restarts = 0,
    [property: Id(9)] bool StorageOutage = false,
    [property: Id(10)] string? LastError = null);
