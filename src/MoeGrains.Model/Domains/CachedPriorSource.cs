using MoeGrains.Model.Data;

namespace MoeGrains.Model.Domains;

/// <summary>
/// The cached prior of a domain for scoring with a mixture version: the one its manifest stores, otherwise estimated with
/// the updating prior on the domain's validation text (as <c>moe eval --mixture cached</c> does) and remembered.
/// </summary>
/// <param name="experts">The version's experts, in manifest order.</param>
/// <param name="manifest">The mixture version.</param>
/// <param name="validation">Validation text to estimate missing priors on, or null (a missing prior is then an error).</param>
/// <param name="blockLength">The experts' window.</param>
/// <param name="batchSize">Blocks per estimation batch.</param>
/// <param name="priorBlocks">Validation blocks per estimated prior.</param>
public sealed class CachedPriorSource(IReadOnlyList<ExpertScorer> experts, MixtureManifest manifest, TokenizedSplit? validation, int blockLength,
    int batchSize = 16, int priorBlocks = PriorEstimator.DefaultBlocks)
{
    private readonly Dictionary<string, double[]> estimated = new(StringComparer.Ordinal);

    /// <summary>The priors estimated so far (not stored in the manifest), by domain, in manifest order.</summary>
    public IReadOnlyDictionary<string, double[]> Estimated => estimated;

    /// <summary>The prior of <paramref name="domain"/>, one weight per expert in manifest order.</summary>
    /// <exception cref="ArgumentException">The manifest has no prior for the domain and there is no validation text of it.</exception>
    public async Task<IReadOnlyList<double>> GetAsync(string domain, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (manifest.CachedPrior(domain) is { } stored) return stored;
        if (estimated.TryGetValue(domain, out var known)) return known;
        if (validation is null || !validation.Domains.Contains(domain))
            throw new ArgumentException($"Mixture version {manifest.Version} has no cached prior for domain '{domain}', and there is no " +
                $"validation text of '{domain}' to estimate one on{(validation is null ? "" : $" (validation domains: {string.Join(", ", validation.Domains)})")}.");
        var prior = await PriorEstimator.EstimateAsync(experts, validation.Stream(domain), blockLength, batchSize, priorBlocks, cancellationToken)
            .ConfigureAwait(false);
        estimated[domain] = prior;
        return prior;
    }
}
