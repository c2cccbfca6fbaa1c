using System.Text.Json;

namespace MoeGrains.Model.Domains;

/// <summary>
/// One version of a mixture of domain experts: the experts in use (mixture order), the archived ones, the shared
/// checkpoint they belong with, and the cached priors estimated for this expert set (by target domain, then expert).
/// Every lifecycle change returns the next version and drops the cached priors, which belong to an expert set; an
/// invalid change throws <see cref="DomainExpertException"/> and returns nothing.
/// </summary>
/// <param name="Version">1, 2, …</param>
/// <param name="SharedWeightsSha256">The shared checkpoint's weights hash.</param>
/// <param name="Experts">The active experts, in mixture order.</param>
/// <param name="Archived">Retired experts: their checkpoints are kept and can be restored.</param>
/// <param name="CachedPriors">Target domain → expert → prior weight.</param>
/// <param name="ExpertVersions">
/// In a cluster: the committed checkpoint version of every expert (active and archived) this version pins; null on disk.
/// </param>
public sealed record MixtureManifest(int Version, string SharedWeightsSha256, IReadOnlyList<string> Experts,
    IReadOnlyList<string> Archived, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> CachedPriors,
    IReadOnlyDictionary<string, int>? ExpertVersions = null)
{
    /// <summary>Version 1 with <paramref name="experts"/> and no cached priors.</summary>
    /// <exception cref="DomainExpertException">No experts, or a name twice.</exception>
    public static MixtureManifest First(string sharedWeightsSha256, IReadOnlyList<string> experts, IReadOnlyDictionary<string, int>? expertVersions = null)
    {
        ArgumentNullException.ThrowIfNull(experts);
        if (experts.Count == 0) throw new DomainExpertException("A mixture needs at least one expert.");
        var duplicate = experts.GroupBy(e => e, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new DomainExpertException($"Expert '{duplicate.Key}' is listed twice.");
        return new MixtureManifest(1, sharedWeightsSha256, [.. experts], [], Empty, expertVersions);
    }

    /// <summary>The next version with an expert for <paramref name="domain"/> appended.</summary>
    /// <exception cref="DomainExpertException">The domain already has an expert, active or archived.</exception>
    public MixtureManifest WithAdded(string domain)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(domain);
        if (Experts.Contains(domain, StringComparer.Ordinal))
            throw new DomainExpertException($"Domain '{domain}' already has an expert (version {Version}: {string.Join(", ", Experts)}).");
        if (Archived.Contains(domain, StringComparer.Ordinal))
            throw new DomainExpertException($"Domain '{domain}' already has an expert, archived; restore it instead of adding a new one.");
        return Next([.. Experts, domain], Archived);
    }

    /// <summary>The next version without <paramref name="expert"/>, which is archived.</summary>
    /// <exception cref="DomainExpertException">The expert is unknown (or already archived), or it is the last one.</exception>
    public MixtureManifest WithRetired(string expert)
    {
        ArgumentNullException.ThrowIfNull(expert);
        if (!Experts.Contains(expert, StringComparer.Ordinal))
            throw new DomainExpertException(Archived.Contains(expert, StringComparer.Ordinal)
                ? $"Expert '{expert}' is already retired."
                : $"Unknown expert '{expert}'. Active experts: {string.Join(", ", Experts)}.");
        if (Experts.Count == 1)
            throw new DomainExpertException($"Expert '{expert}' is the last one; a mixture needs at least one expert.");
        return Next([.. Experts.Where(e => e != expert)], [.. Archived, expert]);
    }

    /// <summary>The next version with the archived <paramref name="expert"/> active again (appended).</summary>
    /// <exception cref="DomainExpertException">The expert is not archived.</exception>
    public MixtureManifest WithRestored(string expert)
    {
        ArgumentNullException.ThrowIfNull(expert);
        if (!Archived.Contains(expert, StringComparer.Ordinal))
            throw new DomainExpertException(Experts.Contains(expert, StringComparer.Ordinal)
                ? $"Expert '{expert}' is active, not retired."
                : $"Unknown expert '{expert}': no retired expert has that name. Retired: {(Archived.Count == 0 ? "none" : string.Join(", ", Archived))}.");
        return Next([.. Experts, expert], [.. Archived.Where(e => e != expert)]);
    }

    /// <summary>This version with the cached prior of <paramref name="domain"/> set (same version: priors describe an expert set).</summary>
    /// <exception cref="ArgumentException">The prior does not have one weight per active expert.</exception>
    public MixtureManifest WithCachedPrior(string domain, IReadOnlyList<double> prior)
    {
        ArgumentNullException.ThrowIfNull(prior);
        if (prior.Count != Experts.Count)
            throw new ArgumentException($"The prior has {prior.Count} weights; version {Version} has {Experts.Count} experts.", nameof(prior));
        var priors = CachedPriors.ToDictionary(pair => pair.Key, pair => pair.Value);
        priors[domain] = ByExpert(prior);
        return this with { CachedPriors = priors };
    }

    /// <summary>Weights given in this version's expert order, keyed by expert name.</summary>
    public Dictionary<string, double> ByExpert(IReadOnlyList<double> weights) =>
        Experts.Select((expert, i) => (expert, i)).ToDictionary(pair => pair.expert, pair => weights[pair.i]);

    /// <summary>This version with <paramref name="expert"/>'s pinned checkpoint version set.</summary>
    public MixtureManifest WithExpertVersion(string expert, int version)
    {
        var versions = ExpertVersions?.ToDictionary(pair => pair.Key, pair => pair.Value) ?? [];
        versions[expert] = version;
        return this with { ExpertVersions = versions };
    }

    /// <summary>The pinned checkpoint version of <paramref name="expert"/>.</summary>
    /// <exception cref="DomainExpertException">The manifest pins no version for it.</exception>
    public int ExpertVersion(string expert) =>
        ExpertVersions is not null && ExpertVersions.TryGetValue(expert, out var version)
            ? version
            : throw new DomainExpertException($"Mixture version {Version} pins no checkpoint of expert '{expert}'.");

    /// <summary>The cached prior of <paramref name="domain"/> in mixture order, or null when none is stored.</summary>
    public double[]? CachedPrior(string domain) =>
        CachedPriors.TryGetValue(domain, out var prior) && Experts.All(prior.ContainsKey) ? [.. Experts.Select(e => prior[e])] : null;

    /// <summary>Indented camel-case JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ModelConfig.JsonOptions);

    /// <summary>Parses <see cref="ToJson"/>'s output.</summary>
    /// <exception cref="InvalidDataException">Not a mixture manifest.</exception>
    public static MixtureManifest FromJson(string json)
    {
        try
        {
            var manifest = JsonSerializer.Deserialize<MixtureManifest>(json, ModelConfig.JsonOptions);
            if (manifest?.Experts is null || manifest.Archived is null || manifest.CachedPriors is null || manifest.Version < 1)
                throw new InvalidDataException("The mixture manifest is incomplete.");
            return manifest;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The mixture manifest is not valid JSON: {e.Message}", e);
        }
    }

    private static IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Empty { get; } =
        new Dictionary<string, IReadOnlyDictionary<string, double>>();

    private MixtureManifest Next(IReadOnlyList<string> experts, IReadOnlyList<string> archived) =>
        new(Version + 1, SharedWeightsSha256, experts, archived, Empty, ExpertVersions);
}
