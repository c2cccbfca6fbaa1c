using MoeGrains.Abstractions.Domains;
using MoeGrains.Abstractions.Inference;

namespace MoeGrains.Client;

/// <summary>Domain experts (DEMix / Branch-Train-Merge): independent training, the posterior mixture and the expert lifecycle.</summary>
public sealed partial class MoeClient
{
    /// <summary>Starts one domain expert per domain, trained independently and in parallel from the shared version in the request.</summary>
    public Task<DomainMixtureStatus> TrainDomainExpertsAsync(string model, IReadOnlyList<string> domains, DomainExpertTrainingRequest request) =>
        Mixture(model).TrainExpertsAsync(domains, request);

    /// <summary>The mixture's current version and the training experts' progress.</summary>
    public Task<DomainMixtureStatus> GetDomainMixtureAsync(string model) => Mixture(model).GetStatusAsync();

    /// <summary>Every single expert, the uniform, updating and cached mixtures and top-k per domain of a dataset split.</summary>
    public Task<DomainMixtureEvaluation> EvaluateMixtureAsync(string model, string dataset, string split = "valid", int? topK = 2) =>
        Mixture(model).EvaluateAsync(dataset, split, topK);

    /// <summary>
    /// The cached prior of every domain of a dataset split (the updating prior over its first <paramref name="blocks"/>
    /// blocks), stored in the mixture version's manifest: estimated once per domain and version, then reused.
    /// </summary>
    public Task<DomainMixturePriors> EstimateMixturePriorsAsync(string model, string dataset, string split = "valid", int blocks = 100) =>
        Mixture(model).EstimatePriorsAsync(dataset, split, blocks);

    /// <summary>Per-token log-probabilities of each text under the mixture (<c>uniform</c>, <c>updating</c> or <c>topk:K</c>).</summary>
    public Task<IReadOnlyList<TokenScores>> ScoreMixtureAsync(string model, IReadOnlyList<string> texts, string mixture = "updating") =>
        Mixture(model).ScoreAsync(texts, mixture);

    /// <summary>
    /// Accuracy, 95 % bootstrap interval and n of each zero-shot method on a labelled multiple-choice task over the model's
    /// mixture of domain experts (<c>uniform</c>, <c>cached</c> or <c>topk:K</c>), on the mixture version the request pins.
    /// </summary>
    public Task<MixtureChoiceScoringResult> ScoreChoicesOverMixtureAsync(string model, MixtureChoiceScoringRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Mixture(model).ScoreChoicesAsync(request);
    }

    /// <summary>
    /// Adds an expert for <paramref name="domain"/> (posterior of its data, a copy of the highest-posterior expert, FFN-only
    /// training at 0.1 × the request's learning rate); the next version is committed once it has finished (see <see cref="GetDomainMixtureAsync"/>).
    /// </summary>
    public Task<DomainMixtureStatus> AddExpertAsync(string model, string domain, DomainExpertTrainingRequest request) =>
        Mixture(model).AddExpertAsync(domain, request);

    /// <summary>Commits a mixture version without <paramref name="expert"/>; its checkpoints stay in the store.</summary>
    public Task<DomainMixtureStatus> RetireExpertAsync(string model, string expert) => Mixture(model).RetireExpertAsync(expert);

    /// <summary>Commits a mixture version with the retired <paramref name="expert"/> back.</summary>
    public Task<DomainMixtureStatus> RestoreExpertAsync(string model, string expert) => Mixture(model).RestoreExpertAsync(expert);

    private IDomainMixtureGrain Mixture(string model)
    {
        ModelNames.Validate(model);
        return cluster.GetGrain<IDomainMixtureGrain>(model);
    }
}
