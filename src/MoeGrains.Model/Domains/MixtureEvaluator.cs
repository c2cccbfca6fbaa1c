using MoeGrains.Model.Data;
using MoeGrains.Model.Evaluation;
using static TorchSharp.torch;

namespace MoeGrains.Model.Domains;

/// <summary>
/// Evaluates domain experts the way the DEMix paper reports them: per evaluation domain, each single expert, the
/// uniform, updating and cached-prior mixtures and top-k, all from one pass of expert log-probabilities per batch. The
/// cached prior of a domain is estimated with the updating prior on its first validation blocks.
/// </summary>
public static class MixtureEvaluator
{
    /// <summary>Evaluates every domain of <paramref name="split"/>.</summary>
    /// <param name="experts">The experts.</param>
    /// <param name="split">The evaluation data (each token after the first predicted once, as in perplexity evaluation).</param>
    /// <param name="priorData">Where cached priors are estimated (the validation split); a domain it lacks uses <paramref name="split"/>.</param>
    /// <param name="blockLength">The experts' context length.</param>
    /// <param name="batchSize">Blocks per batch.</param>
    /// <param name="topK">k of the top-k mixture, or null.</param>
    /// <param name="priorBlocks">Validation blocks per cached prior.</param>
    /// <param name="cachedPriors">Cached priors already known (a model version's manifest), by domain, in expert order; the others are estimated.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    public static async Task<DomainMixtureReport> EvaluateAsync(IReadOnlyList<ExpertScorer> experts, TokenizedSplit split,
        TokenizedSplit? priorData, int blockLength, int batchSize, int? topK = null, int priorBlocks = PriorEstimator.DefaultBlocks,
        IReadOnlyDictionary<string, double[]>? cachedPriors = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experts);
        ArgumentNullException.ThrowIfNull(split);
        var results = new List<DomainMixtureResult>();
        foreach (var stream in split.Streams)
        {
            var priorStream = priorData is not null && priorData.Domains.Contains(stream.Domain) ? priorData.Stream(stream.Domain) : stream;
            var cached = cachedPriors is not null && cachedPriors.TryGetValue(stream.Domain, out var known) && known.Length == experts.Count
                ? known
                : await PriorEstimator.EstimateAsync(experts, priorStream, blockLength, batchSize, priorBlocks, cancellationToken).ConfigureAwait(false);
            results.Add(await EvaluateDomainAsync(experts, stream, cached, blockLength, batchSize, topK, cancellationToken).ConfigureAwait(false));
        }
        return new DomainMixtureReport([.. experts.Select(e => e.Name)], results, topK, priorBlocks);
    }

    private static async Task<DomainMixtureResult> EvaluateDomainAsync(IReadOnlyList<ExpertScorer> experts, DomainTokenStream stream,
        double[] cachedPrior, int blockLength, int batchSize, int? topK, CancellationToken cancellationToken)
    {
        var count = experts.Count;
        var singles = new double[count];
        double uniform = 0, updating = 0, cached = 0, top = 0;
        long tokens = 0;
        var updatingPrior = MixtureMath.Uniform(count);
        var (topIndices, topPrior) = topK is { } k ? MixtureMath.TopK(cachedPrior, k) : ([], []);
        foreach (var batch in EvaluationBatches.Enumerate(stream, blockLength, batchSize))
        {
            using (batch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var logProbs = await Task.WhenAll(experts.Select(expert => expert.LogProbs(batch, cancellationToken))).ConfigureAwait(false);
                using var scope = NewDisposeScope();
                var all = stack(logProbs);                                      // [E, B, L]
                foreach (var t in logProbs) t.Dispose();
                tokens += all.shape[1] * all.shape[2];
                var sums = all.sum([1, 2]).data<double>().ToArray();
                for (var e = 0; e < count; e++) singles[e] -= sums[e];
                uniform -= MixedSum(all, MixtureMath.Uniform(count));
                cached -= MixedSum(all, cachedPrior);
                var (mixed, next) = MixtureMath.MixUpdating(all, updatingPrior);
                updating -= mixed.sum().item<double>();
                updatingPrior = next;
                if (topK is not null)
                    top -= MixedSum(all.index_select(0, tensor(topIndices.Select(i => (long)i).ToArray())), topPrior);
            }
        }
        var names = experts.Select(e => e.Name).ToArray();
        return new DomainMixtureResult(stream.Domain,
            names.Select((name, e) => (name, e)).ToDictionary(pair => pair.name, pair => new Perplexity(singles[pair.e], tokens)),
            new Perplexity(uniform, tokens), new Perplexity(updating, tokens), new Perplexity(cached, tokens),
            topK is null ? null : new Perplexity(top, tokens),
            names.Select((name, e) => (name, e)).ToDictionary(pair => pair.name, pair => cachedPrior[pair.e]));
    }

    private static double MixedSum(Tensor logProbs, IReadOnlyList<double> prior)
    {
        var (mixed, last) = MixtureMath.Mix(logProbs, tensor(prior.ToArray()));
        using (mixed) using (last) return mixed.sum().item<double>();
    }
}
