using MoeGrains.Abstractions.Inference;

namespace MoeGrains.Abstractions.Domains;

/// <summary>
/// The coordinator of a model's domain experts (key: the model name). It owns the mixture's version manifest (the expert
/// set, the checkpoint each expert is pinned at, cached priors), committed to the store under <c>{model}.mixture</c>;
/// every request pins the version it starts with, and each lifecycle change commits a new version.
/// </summary>
[Alias("moe.IDomainMixtureGrain")]
public interface IDomainMixtureGrain : IGrainWithStringKey
{
    /// <summary>Starts one domain-expert grain per domain, all at once; the first version is committed when all have finished.</summary>
    [Alias("TrainExperts")]
    Task<DomainMixtureStatus> TrainExpertsAsync(IReadOnlyList<string> domains, DomainExpertTrainingRequest request);

    /// <summary>The current version and the training experts' progress (commits the next version once they have all finished).</summary>
    [Alias("GetStatus")]
    Task<DomainMixtureStatus> GetStatusAsync();

    /// <summary>Every single expert, the uniform, updating and cached mixtures and top-k per domain of a dataset split.</summary>
    [Alias("Evaluate")]
    Task<DomainMixtureEvaluation> EvaluateAsync(string dataset, string split, int? topK);

    /// <summary>
    /// The cached prior of every domain of a dataset split (the updating prior over its first <paramref name="blocks"/>
    /// blocks), stored in the current version's manifest: a domain whose prior the manifest holds is reused, the others
    /// are estimated once and committed. A change of the expert set drops them.
    /// </summary>
    [Alias("EstimatePriors")]
    Task<DomainMixturePriors> EstimatePriorsAsync(string dataset, string split, int blocks);

    /// <summary>Per-token log-probabilities of each text under the mixture (<c>uniform</c>, <c>updating</c>, or <c>topk:K</c> of the uniform prior).</summary>
    [Alias("Score")]
    Task<IReadOnlyList<TokenScores>> ScoreAsync(IReadOnlyList<string> texts, string mixture);

    /// <summary>
    /// Accuracy of each zero-shot method on a labelled multiple-choice task over the mixture: each choice's sequence
    /// probability is mixed across the experts with the posterior given its context, then the method is applied. One
    /// concurrent call per expert per batch, all on the mixture version the request started with.
    /// </summary>
    [Alias("ScoreChoices")]
    Task<MixtureChoiceScoringResult> ScoreChoicesAsync(MixtureChoiceScoringRequest request);

    /// <summary>
    /// Adds an expert for <paramref name="domain"/>: estimates the posterior of its data (the dataset's valid split of the
    /// domain, else train) over the current experts, starts the new expert from the highest-posterior expert's checkpoint
    /// and trains only its FFNs at 0.1 × the request's learning rate; the next version is committed once it has finished.
    /// </summary>
    [Alias("AddExpert")]
    Task<DomainMixtureStatus> AddExpertAsync(string domain, DomainExpertTrainingRequest request);

    /// <summary>A new version without <paramref name="expert"/>; its checkpoints stay in the store.</summary>
    [Alias("Retire")]
    Task<DomainMixtureStatus> RetireExpertAsync(string expert);

    /// <summary>A new version with the retired <paramref name="expert"/> back, at its pinned checkpoint.</summary>
    [Alias("Restore")]
    Task<DomainMixtureStatus> RestoreExpertAsync(string expert);
}
