using MoeGrains.Abstractions.Domains;
using MoeGrains.Model.Domains;
using MoeGrains.Model.Evaluation;

namespace MoeGrains.Cli.Output;

/// <summary>Turns a mixture evaluation from the cluster into the library's report, for the same table, JSON and plots.</summary>
internal static class MixtureReports
{
    public static DomainMixtureReport ToReport(DomainMixtureEvaluation evaluation) => new(
        evaluation.Experts,
        [.. evaluation.Domains.Select(d => new Model.Domains.DomainMixtureResult(d.Domain,
            d.Experts.ToDictionary(pair => pair.Key, pair => Of(pair.Value, d.Tokens)),
            Of(d.Uniform, d.Tokens), Of(d.Updating, d.Tokens), Of(d.Cached, d.Tokens), d.TopK is { } top ? Of(top, d.Tokens) : null, d.Prior))],
        evaluation.TopK,
        PriorEstimator.DefaultBlocks);

    private static Perplexity Of(double perplexity, long tokens) => new(Math.Log(perplexity) * tokens, tokens);
}
