using System.Globalization;
using MoeGrains.Abstractions.Models;
using MoeGrains.Abstractions.Pipelines;

namespace MoeGrains.Grains.Pipelines.Stages;

/// <summary>Records the version the run leaves serving: the mixture's (domain experts) or the router's (a seeded model).</summary>
internal sealed class PublishStageExecutor : StageExecutor<PublishStage>
{
    public override string Kind => PipelineStageKinds.Publish;

    protected override async Task<StageOutcome> AdvanceAsync(StageContext context, PublishStage stage, CancellationToken cancellationToken)
    {
        var mixture = await DomainExperts.Mixture(context).GetStatusAsync();
        if (mixture.Version > 0)
        {
            context.Markers["mixture-version"] = mixture.Version.ToString(CultureInfo.InvariantCulture);
            return StageOutcome.Finished($"serving mixture v{mixture.Version}: {string.Join(", ", mixture.Experts)}");
        }
        var info = await context.Grains.GetGrain<IRouterGrain>(context.Model.Name).GetInfoAsync();
        context.Markers["model-version"] = info.Version.ToString(CultureInfo.InvariantCulture);
        return StageOutcome.Finished($"serving {context.Model.Name} v{info.Version} (step {info.Step})");
    }
}
