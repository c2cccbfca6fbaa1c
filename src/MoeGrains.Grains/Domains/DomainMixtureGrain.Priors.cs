using Microsoft.Extensions.Logging;
using MoeGrains.Abstractions.Domains;
using MoeGrains.Grains.Datasets;
using MoeGrains.Model.Data;
using MoeGrains.Model.Domains;
using MoeGrains.Storage;

namespace MoeGrains.Grains.Domains;

/// <summary>
/// Cached priors live in the manifest of the mixture version they were estimated for: estimated once, reused by every
/// later request on that version, dropped by a retire or restore (<see cref="MixtureManifest"/> does that) and estimated
/// again with the new expert set by an add.
/// </summary>
public sealed partial class DomainMixtureGrain
{
    /// <inheritdoc/>
    public async Task<DomainMixturePriors> EstimatePriorsAsync(string dataset, string split, int blocks)
    {
        var pinned = Current();
        var corpusSplit = ParseSplit(split);
        if (blocks < 1) throw new ArgumentException($"A cached prior needs at least one block (got {blocks}).");
        var corpus = await DatasetDownloads.OpenAsync(store, dataset);
        var data = TokenizedSplit.Create(corpus, TokenizerFactory.Create(config!.Tokenizer), corpusSplit);
        var estimated = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var stream in data.Streams)
        {
            if (pinned.CachedPrior(stream.Domain) is not null) continue;
            estimated[stream.Domain] = await PriorEstimator.EstimateAsync(Scorers(pinned), stream, config.ContextLength, batchSize: 16, maxBlocks: blocks);
        }
        var stored = await StorePriorsAsync(pinned, estimated);
        var priors = data.Domains.ToDictionary(d => d, d => (IReadOnlyDictionary<string, double>)stored.ByExpert(stored.CachedPrior(d) ?? estimated[d]));
        return new DomainMixturePriors(stored.Version, stored.Experts, priors, [.. estimated.Keys]);
    }

    /// <summary>
    /// <paramref name="next"/> (<paramref name="previous"/> plus <paramref name="added"/>) with its cached priors estimated
    /// again on <paramref name="dataset"/> (<see cref="CachedPriorRefresh"/>). When that fails (an expert does not answer, the
    /// dataset is gone) the version is committed without them and they are estimated when next needed.
    /// </summary>
    private async Task<MixtureManifest> WithPriorsAfterAddingAsync(MixtureManifest previous, MixtureManifest next, string added, string dataset)
    {
        try
        {
            var corpus = await DatasetDownloads.OpenAsync(store, dataset);
            var domains = CachedPriorRefresh.DomainsAfterAdding(previous, added, corpus);
            var estimated = await CachedPriorRefresh.EstimateAsync(next, domains, Scorers(next), corpus, TokenizerFactory.Create(config!.Tokenizer), config.ContextLength);
            logger.LogInformation("Model {Model}: cached priors of {Domains} re-estimated with {Added} for mixture version {Version}", model, string.Join(", ", domains), added, next.Version);
            return estimated;
        }
        catch (Exception e) when (e is OrleansException or TimeoutException or IOException or ArgumentException or CheckpointStoreException)
        {
            logger.LogWarning("Model {Model}: could not re-estimate the cached priors after adding {Added} ({Error}); version {Version} is committed without them", model, added, e.Message, next.Version);
            return next;
        }
    }

    /// <summary>
    /// Commits <paramref name="estimated"/> (in <paramref name="pinned"/>'s expert order) into the manifest when
    /// <paramref name="pinned"/> is still the current version (a prior estimated for an expert set that has since changed
    /// is dropped); returns the manifest that holds them, or <paramref name="pinned"/>.
    /// </summary>
    private async Task<MixtureManifest> StorePriorsAsync(MixtureManifest pinned, IReadOnlyDictionary<string, double[]> estimated)
    {
        if (estimated.Count == 0) return current is { } now && now.Version == pinned.Version ? now : pinned;
        await changes.WaitAsync();
        try
        {
            if (current is null || current.Version != pinned.Version) return pinned;
            var next = current;
            foreach (var (domain, prior) in estimated)
                if (next.CachedPrior(domain) is null) next = next.WithCachedPrior(domain, prior);
            if (ReferenceEquals(next, current)) return current;
            await CommitAsync(next);
            logger.LogInformation("Model {Model}: cached priors of {Domains} stored in mixture version {Version}", model, string.Join(", ", estimated.Keys), next.Version);
            return next;
        }
        finally
        {
            changes.Release();
        }
    }
}
