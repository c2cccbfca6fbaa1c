namespace MoeGrains.Model.Evaluation;

/// <summary>Per-domain perplexity of a split, and the figure over all its tokens.</summary>
/// <param name="Domains">Perplexity per domain name, in corpus order.</param>
/// <param name="Overall">exp of the mean NLL over every token of every domain.</param>
public sealed record PerplexityReport(IReadOnlyDictionary<string, Perplexity> Domains, Perplexity Overall);
