using MoeGrains.Abstractions.Inference;
using MoeGrains.Model.Evaluation;

namespace MoeGrains.Cli.Output;

/// <summary>Turns a cluster's <see cref="EvaluationResult"/> into the in-process <see cref="PerplexityReport"/>, so both print alike.</summary>
internal static class EvaluationReports
{
    public static PerplexityReport ToReport(EvaluationResult result) => new(
        result.Domains.ToDictionary(d => d.Domain, Perplexity),
        Perplexity(result.Overall));

    private static Perplexity Perplexity(DomainPerplexity domain) => new(Math.Log(domain.Perplexity) * domain.Tokens, domain.Tokens);
}
