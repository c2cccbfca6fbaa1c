using MoeGrains.Abstractions.Domains;
using MoeGrains.Abstractions.Training;

namespace MoeGrains.Grains.Domains;

/// <summary>
/// What a domain expert keeps in grain storage about its branch-training run: the request and a pointer to its last
/// committed checkpoint, never weights. The data position is the step (the batches are replayed from the seed) and the
/// optimizer state is a blob of that checkpoint, so a resumed run continues exactly where the checkpoint left it.
/// </summary>
[GenerateSerializer, Alias("moe.DomainExpertRunState")]
public sealed class DomainExpertRunState
{
    /// <summary>The current or last run's request; null before the first run.</summary>
    [Id(0)] public DomainExpertTrainingRequest? Request { get; set; }

    /// <summary>Where the run is.</summary>
    [Id(1)] public TrainingState State { get; set; }

    /// <summary>The expert's latest committed version when the run started: the run resumes only from versions after it.</summary>
    [Id(2)] public int StartVersion { get; set; }

    /// <summary>The run's last committed checkpoint version (0: none yet).</summary>
    [Id(3)] public int Version { get; set; }

    /// <summary>Steps of that checkpoint.</summary>
    [Id(4)] public long Step { get; set; }

    /// <summary>Loss of the step of that checkpoint.</summary>
    [Id(5)] public double Loss { get; set; }

    /// <summary>How often the run was resumed from a checkpoint.</summary>
    [Id(6)] public int Resumes { get; set; }

    /// <summary>What stopped a failed run.</summary>
    [Id(7)] public string? Error { get; set; }
}
