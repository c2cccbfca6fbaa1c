using System.Globalization;
using MoeGrains.Abstractions.Pipelines;

namespace MoeGrains.Grains.Pipelines.Stages;

/// <summary>
/// Estimates the cached prior of every domain of the dataset (the updating prior over the split's first blocks, as the
/// mixture evaluation does) and stores it in the mixture version's manifest, where evaluation and top-k reuse it; the
/// stage records it too. Repeated after a crash, it reuses what the manifest already holds.
/// </summary>
internal sealed class EstimatePriorStageExecutor : StageExecutor<EstimatePriorStage>
{
    public override string Kind => PipelineStageKinds.EstimatePrior;

    protected override async Task<StageOutcome> AdvanceAsync(StageContext context, EstimatePriorStage stage, CancellationToken cancellationToken)
    {
        var priors = await DomainExperts.Mixture(context).EstimatePriorsAsync(stage.Dataset, stage.Split, stage.Blocks);
        foreach (var (domain, prior) in priors.Priors)
            context.Markers[$"prior:{domain}"] = string.Join(',', priors.Experts.Select(expert =>
                $"{expert}={prior.GetValueOrDefault(expert).ToString("F4", CultureInfo.InvariantCulture)}"));
        var top = priors.Priors.Select(p => $"{p.Key}→{p.Value.MaxBy(weight => weight.Value).Key}");
        return StageOutcome.Finished($"priors of {priors.Priors.Count} domains stored in mixture v{priors.Version}: {string.Join(", ", top)}");
    }
}
