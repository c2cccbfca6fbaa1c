using MoeGrains.Abstractions.Tensors;

namespace MoeGrains.Abstractions.Domains;

/// <summary>
/// One domain's expert (DEMix), keyed <c>{model}/domain/{domain}</c> and placed on expert silos like every expert. It
/// loads the shared model from the store, trains on its own domain's data with no messages to other experts, commits
/// its weights to the store under <c>{model}.domain.{domain}</c>, and scores text for the mixture.
/// </summary>
[Alias("moe.IDomainExpertGrain")]
public interface IDomainExpertGrain : IGrainWithStringKey
{
    /// <summary>Starts branch training; observe it with <see cref="GetStatusAsync"/> (the run advances on a grain timer).</summary>
    [Alias("StartTraining")]
    Task<DomainExpertStatus> StartTrainingAsync(DomainExpertTrainingRequest request);

    /// <summary>Where the expert is and what it has done.</summary>
    [Alias("GetStatus")]
    Task<DomainExpertStatus> GetStatusAsync();

    /// <summary>
    /// log p(target) of every position of blocks [B, L + 1] (int64 token ids; inputs are [:, :-1], targets [:, 1:]) under
    /// committed checkpoint <paramref name="version"/> of this expert: float64 [B, L].
    /// </summary>
    [Alias("LogProbs")]
    Task<TensorPayload> LogProbsAsync(TensorPayload blocks, int version);
}
