using static TorchSharp.torch;

namespace MoeGrains.Model.Domains;

/// <summary>
/// The DEMix mixture of domain experts, mixed in probability space. For a block x_0 … x_T with targets t = 1 … T:
/// w_j,1 = 1/E; for t &gt; 1, w_j,t ∝ prior_j · p_j(x_{t−1} | x_&lt;t−1) (the one-step Bayes update of the DEMix
/// code); p_mix(x_t) = Σ_j w_j,t · p_j(x_t). Computed with log-sum-exp in float64, which is the same sum without underflow.
/// </summary>
public static class MixtureMath
{
    /// <summary>How much of a batch's mean last-position posterior the updating prior takes in.</summary>
    public const double PriorUpdateRate = 0.3;

    /// <summary>
    /// Rows (blocks) per prior update of an updating mixture: the DEMix code estimates and evaluates with batches of two
    /// sequences (<c>--batch-size 2</c>), so ~100 validation blocks give the cached prior ~50 updates, not one per call.
    /// </summary>
    public const int PriorUpdateRows = 2;

    /// <summary>Mixes per-expert target log-probabilities.</summary>
    /// <param name="expertLogProbs">log p_j(x_t) per expert, position: [E, B, L].</param>
    /// <param name="prior">The prior over the E experts: [E] (sums to 1, no zeros).</param>
    /// <returns>
    /// log p_mix per position [B, L] (float64) and the last-position posterior [B, E]: prior_j · p_j(x_T), normalised —
    /// the posterior after the block's last token.
    /// </returns>
    public static (Tensor MixedLogProbs, Tensor LastPosterior) Mix(Tensor expertLogProbs, Tensor prior)
    {
        ArgumentNullException.ThrowIfNull(expertLogProbs);
        ArgumentNullException.ThrowIfNull(prior);
        if (expertLogProbs.dim() != 3)
            throw new ArgumentException($"Expert log-probabilities must be [experts, batch, length]; got [{string.Join(", ", expertLogProbs.shape)}].", nameof(expertLogProbs));
        var experts = expertLogProbs.shape[0];
        if (prior.dim() != 1 || prior.shape[0] != experts)
            throw new ArgumentException($"The prior must have one weight per expert ({experts}); got [{string.Join(", ", prior.shape)}].", nameof(prior));

        using var scope = NewDisposeScope();
        var logProbs = expertLogProbs.to(ScalarType.Float64);
        var logPrior = prior.to(ScalarType.Float64).to(logProbs.device).log().view(experts, 1, 1);
        var evidence = logPrior + logProbs;                                         // [E, B, L]
        var posterior = evidence - evidence.logsumexp(0, keepdim: true);            // after token t
        var (batch, length) = (logProbs.shape[1], logProbs.shape[2]);
        var first = full([experts, batch, 1], -Math.Log(experts), ScalarType.Float64, logProbs.device);
        var logWeights = cat([first, posterior[.., .., ..^1]], 2);                   // w_j,t: before token t
        var mixed = (logWeights + logProbs).logsumexp(0);                            // [B, L]
        var last = posterior[.., .., -1].exp().t().contiguous();                     // [B, E]
        return (mixed.MoveToOuterDisposeScope(), last.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The updating mixture over rows in order: the rows are mixed <see cref="PriorUpdateRows"/> at a time, the prior moving
    /// (<see cref="UpdatePrior"/>) after each such batch.
    /// </summary>
    /// <param name="expertLogProbs">log p_j(x_t) per expert, row, position: [E, B, L].</param>
    /// <param name="prior">The prior before the first row: [E].</param>
    /// <returns>log p_mix per position [B, L] (float64) and the prior after the last row.</returns>
    public static (Tensor MixedLogProbs, double[] Prior) MixUpdating(Tensor expertLogProbs, IReadOnlyList<double> prior)
    {
        ArgumentNullException.ThrowIfNull(expertLogProbs);
        ArgumentNullException.ThrowIfNull(prior);
        using var scope = NewDisposeScope();
        var current = tensor(prior.ToArray());
        var rows = expertLogProbs.shape[1];
        var parts = new List<Tensor>();
        for (long first = 0; first < rows; first += PriorUpdateRows)
        {
            var (mixed, last) = Mix(expertLogProbs.narrow(1, first, Math.Min(PriorUpdateRows, rows - first)), current);
            parts.Add(mixed);
            current = UpdatePrior(current, last);
        }
        return (cat(parts, 0).MoveToOuterDisposeScope(), current.data<double>().ToArray());
    }

    /// <summary>The updating prior after a batch: 0.3 · mean over rows of the last-position posterior + 0.7 · prior.</summary>
    /// <param name="prior">[E].</param>
    /// <param name="lastPosterior">[B, E].</param>
    public static Tensor UpdatePrior(Tensor prior, Tensor lastPosterior)
    {
        using var scope = NewDisposeScope();
        var mean = lastPosterior.to(ScalarType.Float64).mean([0]);
        return (PriorUpdateRate * mean + (1 - PriorUpdateRate) * prior.to(ScalarType.Float64)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// log P_mix(y | c) of one continuation y after a context c: the posterior w_j ∝ prior_j · P_j(c) (Bayes' rule on the
    /// context), then log Σ_j w_j · P_j(y | c) = logsumexp_j (log w_j + log P_j(y | c)). In float64 log space, so long
    /// texts neither underflow nor overflow.
    /// </summary>
    /// <param name="prior">The prior over the E experts (positive, sums to 1).</param>
    /// <param name="contextLogProbs">log P_j(c) per expert (0 for a context with nothing to predict).</param>
    /// <param name="continuationLogProbs">log P_j(y | c) per expert: the sum over y's tokens.</param>
    public static double MixContinuation(IReadOnlyList<double> prior, IReadOnlyList<double> contextLogProbs, IReadOnlyList<double> continuationLogProbs)
    {
        ArgumentNullException.ThrowIfNull(prior);
        ArgumentNullException.ThrowIfNull(contextLogProbs);
        ArgumentNullException.ThrowIfNull(continuationLogProbs);
        if (prior.Count == 0 || contextLogProbs.Count != prior.Count || continuationLogProbs.Count != prior.Count)
            throw new ArgumentException($"Need one prior weight, context and continuation log-probability per expert; got {prior.Count}, " +
                $"{contextLogProbs.Count} and {continuationLogProbs.Count}.");
        var evidence = new double[prior.Count];                                   // log prior_j + log P_j(c)
        for (var j = 0; j < prior.Count; j++) evidence[j] = Math.Log(prior[j]) + contextLogProbs[j];
        var normaliser = LogSumExp(evidence);
        var joint = new double[prior.Count];                                      // log w_j + log P_j(y | c)
        for (var j = 0; j < prior.Count; j++) joint[j] = evidence[j] - normaliser + continuationLogProbs[j];
        return LogSumExp(joint);
    }

    /// <summary>log Σ exp(values), shifted by the largest value.</summary>
    public static double LogSumExp(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException("log-sum-exp of nothing.", nameof(values));
        var max = values.Max();
        if (double.IsNegativeInfinity(max) || double.IsNaN(max)) return max;
        var sum = 0.0;
        foreach (var value in values) sum += Math.Exp(value - max);
        return max + Math.Log(sum);
    }

    /// <summary>The uniform prior over <paramref name="experts"/> experts.</summary>
    public static double[] Uniform(int experts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(experts, 1);
        return Enumerable.Repeat(1.0 / experts, experts).ToArray();
    }

    /// <summary>
    /// The indices of the <paramref name="k"/> largest prior weights (ties to the lower index), ascending, and their
    /// weights renormalised to sum to 1.
    /// </summary>
    public static (int[] Indices, double[] Prior) TopK(IReadOnlyList<double> prior, int k)
    {
        ArgumentNullException.ThrowIfNull(prior);
        if (k < 1 || k > prior.Count)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"Top-k needs 1 ≤ k ≤ the number of experts ({prior.Count}).");
        var indices = Enumerable.Range(0, prior.Count).OrderByDescending(i => prior[i]).ThenBy(i => i).Take(k).Order().ToArray();
        var sum = indices.Sum(i => prior[i]);
        return (indices, [.. indices.Select(i => prior[i] / sum)]);
    }
}
