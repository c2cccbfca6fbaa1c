namespace MoeGrains.Model.Scoring;

/// <summary>
/// Per-token log-probabilities of continuations given contexts — all that the zero-shot methods need from a model.
/// Implemented over one in-process model, over the cluster's router, or over a mixture of domain experts.
/// </summary>
public interface IContinuationScorer
{
    /// <summary>The longest input the model takes: context + continuation − 1 tokens must fit it.</summary>
    int ContextLength { get; }

    /// <summary>
    /// For every request, log P(continuation[k] | context, continuation[..k]) for each k (natural log), in request order.
    /// Each result must not depend on the other requests of the call.
    /// </summary>
    /// <exception cref="ArgumentException">A request is empty, has an id outside the vocabulary, or its continuation alone does not fit the window.</exception>
    Task<IReadOnlyList<double[]>> ScoreAsync(IReadOnlyList<ContinuationRequest> requests, CancellationToken cancellationToken = default);
}
