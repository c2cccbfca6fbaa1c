using MoeGrains.Model.Data;

namespace MoeGrains.Model.Domains;

/// <summary>
/// Adding an expert changes the expert set, so the version it commits estimates its cached priors again with the new set:
/// for the added domain and for every domain the previous version had a cached prior for (when the data has it), each on
/// that domain's validation text (its training text when it has none). The in-process and the cluster paths share this.
/// </summary>
public static class CachedPriorRefresh
{
    /// <summary>The domains whose prior the version after adding <paramref name="added"/> to <paramref name="previous"/> estimates.</summary>
    public static IReadOnlyList<string> DomainsAfterAdding(MixtureManifest previous, string added, DomainCorpus corpus)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(corpus);
        return [.. previous.CachedPriors.Keys.Append(added).Distinct(StringComparer.Ordinal).Where(corpus.Domains.Contains).Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// <paramref name="next"/> with the cached prior of every one of <paramref name="domains"/> estimated by
    /// <paramref name="experts"/> (in <paramref name="next"/>'s expert order) on <see cref="PriorEstimator.DefaultBlocks"/> blocks.
    /// </summary>
    public static async Task<MixtureManifest> EstimateAsync(MixtureManifest next, IReadOnlyList<string> domains, IReadOnlyList<ExpertScorer> experts,
        DomainCorpus corpus, ITokenizer tokenizer, int blockLength, int batchSize = 16, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(domains);
        ArgumentNullException.ThrowIfNull(experts);
        if (!experts.Select(e => e.Name).SequenceEqual(next.Experts))
            throw new ArgumentException($"The scorers ({string.Join(", ", experts.Select(e => e.Name))}) are not version {next.Version}'s experts ({string.Join(", ", next.Experts)}).", nameof(experts));
        TokenizedSplit? valid = null, train = null;
        foreach (var domain in domains)
        {
            var text = corpus.HasSplit(domain, CorpusSplit.Valid)
                ? (valid ??= TokenizedSplit.Create(corpus, tokenizer, CorpusSplit.Valid))
                : (train ??= TokenizedSplit.Create(corpus, tokenizer, CorpusSplit.Train));
            var prior = await PriorEstimator.EstimateAsync(experts, text.Stream(domain), blockLength, batchSize, cancellationToken: cancellationToken).ConfigureAwait(false);
            next = next.WithCachedPrior(domain, prior);
        }
        return next;
    }
}
