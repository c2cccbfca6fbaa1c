using MoeGrains.Model.Evaluation;

namespace MoeGrains.Model.Domains;

/// <summary>Perplexity of one evaluation domain under every single expert and the mixtures.</summary>
/// <param name="Domain">The evaluation domain.</param>
/// <param name="Experts">Each single expert's perplexity, by expert name.</param>
/// <param name="Uniform">The uniform-prior mixture.</param>
/// <param name="Updating">The updating-prior mixture (starting uniform at the domain's first batch).</param>
/// <param name="Cached">The mixture with the cached prior of this domain.</param>
/// <param name="TopK">The top-k mixture of the cached prior (null when top-k was not asked for).</param>
/// <param name="CachedPrior">The cached prior of this domain (the domain posterior), by expert name.</param>
public sealed record DomainMixtureResult(string Domain, IReadOnlyDictionary<string, Perplexity> Experts, Perplexity Uniform,
    Perplexity Updating, Perplexity Cached, Perplexity? TopK, IReadOnlyDictionary<string, double> CachedPrior)
{
    /// <summary>The expert with the lowest perplexity on this domain.</summary>
    public string BestExpert => Experts.MinBy(pair => pair.Value.MeanNll).Key;
}

/// <summary>A mixture evaluation: every evaluation domain, the experts in mixture order, and what top-k cost.</summary>
/// <param name="Experts">The experts' names.</param>
/// <param name="Domains">One result per evaluation domain, in split order.</param>
/// <param name="TopK">k of the top-k mixture, or null.</param>
/// <param name="PriorBlocks">Validation blocks each cached prior was estimated on.</param>
public sealed record DomainMixtureReport(IReadOnlyList<string> Experts, IReadOnlyList<DomainMixtureResult> Domains, int? TopK, int PriorBlocks);
