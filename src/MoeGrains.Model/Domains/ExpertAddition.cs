using MoeGrains.Model.Data;
using MoeGrains.Model.Training;

namespace MoeGrains.Model.Domains;

/// <summary>A new domain expert and how it was chosen.</summary>
/// <param name="Expert">The trained expert (owned by the caller).</param>
/// <param name="Parent">The highest-posterior expert it was initialised from.</param>
/// <param name="Posterior">The new data's posterior over the existing experts, in their order.</param>
/// <param name="Metrics">Its training steps.</param>
public sealed record ExpertAddition(DomainExpert Expert, string Parent, IReadOnlyList<double> Posterior, IReadOnlyList<StepMetrics> Metrics);

/// <summary>
/// Adds an expert for a new domain to a trained mixture: estimate the new data's posterior over the existing experts,
/// copy the highest-posterior expert, and train only its FFNs on the new domain at 0.1 × the learning rate.
/// </summary>
public static class ExpertAdding
{
    /// <summary>Builds and trains the new expert; the existing experts are only read.</summary>
    /// <param name="experts">The mixture's experts.</param>
    /// <param name="domain">The new domain's name.</param>
    /// <param name="train">The new domain's training stream.</param>
    /// <param name="posteriorData">The text the posterior is estimated on (its validation stream, or <paramref name="train"/>).</param>
    /// <param name="options">Steps, batch, seed and the mixture's learning rate (scaled by 0.1 here).</param>
    /// <param name="priorBlocks">Blocks the posterior is estimated on.</param>
    /// <param name="onStep">Progress.</param>
    /// <param name="cancellationToken">Stops between steps.</param>
    /// <exception cref="DomainExpertException">The domain already has an expert, or there is no expert to start from.</exception>
    public static async Task<ExpertAddition> AddAsync(IReadOnlyList<DomainExpert> experts, string domain, DomainTokenStream train,
        DomainTokenStream? posteriorData, TrainingOptions options, int priorBlocks = PriorEstimator.DefaultBlocks,
        Action<StepMetrics>? onStep = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experts);
        ArgumentNullException.ThrowIfNull(options);
        if (experts.Count == 0) throw new DomainExpertException("There is no expert to initialise the new one from.");
        if (experts.Any(e => e.Domain == domain)) throw new DomainExpertException($"Domain '{domain}' already has an expert.");
        var blockLength = experts[0].Model.Config.ContextLength;
        var posterior = await PriorEstimator.EstimateAsync([.. experts.Select(e => e.Scorer())], posteriorData ?? train, blockLength,
            options.BatchSize, priorBlocks, cancellationToken).ConfigureAwait(false);
        var parent = experts[Array.IndexOf(posterior, posterior.Max())];
        var expert = new DomainExpert(domain, DomainExpertWeights.Clone(parent.Model));
        try
        {
            var scaled = options with { LearningRate = options.LearningRate * BranchTraining.AddedExpertLearningRateFactor };
            var metrics = BranchTraining.Train(expert, train, scaled, BranchMode.FeedForward, onStep, cancellationToken: cancellationToken);
            return new ExpertAddition(expert, parent.Domain, posterior, metrics);
        }
        catch
        {
            expert.Dispose();
            throw;
        }
    }
}
