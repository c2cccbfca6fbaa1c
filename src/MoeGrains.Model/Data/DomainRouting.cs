namespace MoeGrains.Model.Data;

/// <summary>
/// Which expert of a domain gate takes a corpus domain's tokens. A model that stores its domain names (<see
/// cref="ModelConfig.Domains"/>) routes by name, so it can be trained, evaluated and branched on any dataset that has
/// those domains, in any order, with others beside them refused by name. One saved before names were stored routes by the
/// domain's position in the dataset, as it was trained.
/// </summary>
public static class DomainRouting
{
    /// <summary><paramref name="config"/> as a domain gate with one expert per domain of <paramref name="domains"/>, in that order.</summary>
    public static ModelConfig WithDomains(this ModelConfig config, IReadOnlyList<string> domains)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(domains);
        if (domains.Any(d => d.Contains(',', StringComparison.Ordinal)))
            throw new ArgumentException($"Domain names must not contain commas: {string.Join(", ", domains.Where(d => d.Contains(',', StringComparison.Ordinal)))}.");
        return (config with { Gate = GateKind.Domain, Experts = domains.Count, Domains = string.Join(',', domains) }).Validate();
    }

    /// <summary>
    /// Refuses a domain-gate model where only text is given (scoring, generation): its gate routes every token by the
    /// text's domain, so without one the forward pass cannot route.
    /// </summary>
    /// <param name="config">The model's config.</param>
    /// <param name="what">Names the model in the message, e.g. "Model 'demix'".</param>
    /// <exception cref="ArgumentException">The model has a domain gate.</exception>
    public static void RequireRoutableWithoutDomain(ModelConfig config, string what)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Gate == GateKind.Domain)
            throw new ArgumentException($"{what} routes by domain (a domain gate with {config.Experts} experts): it needs each text's domain, which " +
                "scoring and generation are not given. Score its mixture of domain experts (moe score --mixture uniform|cached|topk:K) or " +
                "measure its perplexity per domain (moe eval), which routes each domain's text to its expert.");
    }

    /// <summary>The model's domain names in expert order, or null when it routes by position.</summary>
    public static IReadOnlyList<string>? DomainNames(this ModelConfig config) => Names(config);

    /// <summary>The expert of <paramref name="domain"/>, whose id in its dataset is <paramref name="positionInDataset"/>.</summary>
    /// <exception cref="ArgumentException">The model has no expert for the domain.</exception>
    public static int ExpertOf(this ModelConfig config, string domain, int positionInDataset)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (Names(config) is { } names)
        {
            var index = Array.IndexOf(names, domain);
            if (index < 0)
                throw new ArgumentException($"The model's domain gate has experts for {string.Join(", ", names)}; domain '{domain}' has none. " +
                    "Score it with a mixture of domain experts, or add an expert for it.");
            return index;
        }
        if (positionInDataset >= config.Experts)
            throw new ArgumentException($"Domain '{domain}' is domain {positionInDataset} of the dataset, but the model has {config.Experts} domain experts " +
                "and no stored domain names (saved before names were kept, it routes by the dataset's domain order).");
        return positionInDataset;
    }

    /// <summary>
    /// <paramref name="split"/> with each stream's domain id set to its expert in a domain-gate model (unchanged for other gates).
    /// </summary>
    /// <exception cref="ArgumentException">A domain of the split has no expert (named in the message).</exception>
    public static TokenizedSplit ForModel(this TokenizedSplit split, ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(config);
        if (config.Gate != GateKind.Domain) return split;
        var ids = split.Streams.Select(s => config.ExpertOf(s.Domain, s.DomainId)).ToList();
        if (split.Streams.Select(s => s.DomainId).SequenceEqual(ids)) return split;
        return new TokenizedSplit(split.Split, split.Tokenizer, split.Streams.Select((s, i) => s.WithDomainId(ids[i])));
    }

    private static string[]? Names(ModelConfig config) =>
        config.Gate == GateKind.Domain && config.Domains is { } names ? names.Split(',') : null;
}
