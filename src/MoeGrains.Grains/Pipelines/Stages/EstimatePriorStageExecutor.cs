using System.Globalization;
using MoeGrains.Abstractions.Pipelines;

namespace MoeGrains.Grains.Pipelines.Stages;

/// <summary>
/// Estimates the cached prior of every domain of the dataset (the updating prior over the split's blocks, as the mixture
/// evaluation does) and records it with the stage; the mixture re-estimates it when it has none stored for a domain.
/// </summary>
internal sealed class EstimatePriorStageExecutor : StageExecutor<EstimatePriorStage>
{
    public override string Kind => PipelineStageKinds.EstimatePrior;

    protected override async Task<StageOutcome> AdvanceAsync(StageContext context, EstimatePriorStage stage, CancellationToken cancellationToken)
    {
        var evaluation = await DomainExperts.Mixture(context).EvaluateAsync(stage.Dataset, stage.Split, topK: null);
        foreach (var domain in evaluation.Domains)
            context.Markers[$"prior:{domain.Domain}"] = string.Join(',', evaluation.Experts.Select(expert =>
                $"{expert}={domain.Prior.GetValueOrDefault(expert).ToString("F4", CultureInfo.InvariantCulture)}"));
        var top = evaluation.Domains.Select(d => $"{d.Domain}→{d.Prior.MaxBy(p => p.Value).Key}");
        return StageOutcome.Finished($"priors of {evaluation.Domains.Count} domains on mixture v{evaluation.Version}: {string.Join(", ", top)}");
    }
}
