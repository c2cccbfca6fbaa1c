using MoeGrains.Abstractions.Domains;

namespace MoeGrains.Grains.Domains;

/// <summary>
/// What a mixture grain keeps in grain storage: the expert training it is waiting for (the manifest itself is in the
/// checkpoint store). A re-activated mixture picks the wait up, polls its experts (re-activating any whose silo died)
/// and commits the next version when they have finished.
/// </summary>
[GenerateSerializer, Alias("moe.DomainMixtureState")]
public sealed class DomainMixtureState
{
    /// <summary>The domains of the first training (phase 2), until mixture version 1 is committed; null otherwise.</summary>
    [Id(0)] public List<string>? PendingDomains { get; set; }

    /// <summary>Their request.</summary>
    [Id(1)] public DomainExpertTrainingRequest? PendingRequest { get; set; }

    /// <summary>The domain of an expert being added, until the version containing it is committed; null otherwise.</summary>
    [Id(2)] public string? Adding { get; set; }

    /// <summary>The added expert's own request (parent, scaled learning rate).</summary>
    [Id(3)] public DomainExpertTrainingRequest? AddingRequest { get; set; }

    /// <summary>
    /// The experts' final statuses of the training that ended last (committed or failed), so that the mixture's status
    /// still reports them once nothing is pending; null before any training ended.
    /// </summary>
    [Id(4)] public List<DomainExpertStatus>? LastTraining { get; set; }
}
