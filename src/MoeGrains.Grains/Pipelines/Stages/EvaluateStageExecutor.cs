using System.Globalization;
using MoeGrains.Abstractions.Models;
using MoeGrains.Abstractions.Pipelines;

namespace MoeGrains.Grains.Pipelines.Stages;

/// <summary>
/// Per-domain perplexity: of the mixture (every expert, uniform, cached, top-k) once experts exist, else of the seeded
/// model through its router. The figures are recorded with the stage (markers) and summarised in its message.
/// </summary>
internal sealed class EvaluateStageExecutor : StageExecutor<EvaluateStage>
{
    public override string Kind => PipelineStageKinds.Evaluate;

    protected override async Task<StageOutcome> AdvanceAsync(StageContext context, EvaluateStage stage, CancellationToken cancellationToken)
    {
        var mixture = DomainExperts.Mixture(context);
        if ((await mixture.GetStatusAsync()).Version == 0)
        {
            var result = await context.Grains.GetGrain<IRouterGrain>(context.Model.Name).EvaluateAsync(stage.Dataset, stage.Split);
            foreach (var domain in result.Domains) context.Markers[$"ppl:{domain.Domain}"] = Format(domain.Perplexity);
            return StageOutcome.Finished($"{stage.Split} perplexity of the shared model: {string.Join(", ", result.Domains.Select(d => $"{d.Domain} {Format(d.Perplexity)}"))}");
        }

        var topK = stage.Mixtures.Where(m => m.StartsWith("topk:", StringComparison.Ordinal))
            .Select(m => (int?)int.Parse(m.AsSpan(5), CultureInfo.InvariantCulture)).FirstOrDefault();
        var evaluation = await mixture.EvaluateAsync(stage.Dataset, stage.Split, topK);
        foreach (var domain in evaluation.Domains)
        {
            context.Markers[$"uniform:{domain.Domain}"] = Format(domain.Uniform);
            context.Markers[$"updating:{domain.Domain}"] = Format(domain.Updating);
            context.Markers[$"cached:{domain.Domain}"] = Format(domain.Cached);
            if (domain.TopK is { } value) context.Markers[$"top{topK}:{domain.Domain}"] = Format(value);
            foreach (var (expert, perplexity) in domain.Experts) context.Markers[$"expert:{expert}:{domain.Domain}"] = Format(perplexity);
        }
        var summary = $"mixture v{evaluation.Version}, mean {stage.Split} perplexity over {evaluation.Domains.Count} domains: " +
            $"uniform {Format(evaluation.Domains.Average(d => d.Uniform))}, cached {Format(evaluation.Domains.Average(d => d.Cached))}" +
            (topK is null ? "" : $", top-{topK} {Format(evaluation.Domains.Average(d => d.TopK ?? double.NaN))}");
        return StageOutcome.Finished(summary);
    }

    private static string Format(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
}
