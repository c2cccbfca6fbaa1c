using System.Globalization;
using MoeGrains.Abstractions.Models;
using MoeGrains.Abstractions.Pipelines;

namespace MoeGrains.Grains.Pipelines.Stages;

/// <summary>
/// Fixes what phase 2 branches from: the shared model's committed version and the experts' domains (the stage's, or every
/// domain of the seed dataset). The expert grains themselves start in train-experts.
/// </summary>
internal sealed class BranchStageExecutor : StageExecutor<BranchStage>
{
    public override string Kind => PipelineStageKinds.Branch;

    protected override async Task<StageOutcome> AdvanceAsync(StageContext context, BranchStage stage, CancellationToken cancellationToken)
    {
        var info = await context.Grains.GetGrain<IRouterGrain>(context.Model.Name).GetInfoAsync();
        if (info.Step == 0) throw new ArgumentException($"Model '{context.Model.Name}' has not been trained: seed it before branching.");
        var domains = stage.Domains.Count > 0 ? stage.Domains : context.Dataset(DomainExperts.Dataset(context)).Domains;
        context.Markers[DomainExperts.Domains] = string.Join(',', domains);
        context.Markers[DomainExperts.SharedVersion] = info.Version.ToString(CultureInfo.InvariantCulture);
        return StageOutcome.Finished($"{domains.Count} experts ({(stage.TrainAll ? "all parameters" : "FFNs")}) from shared v{info.Version}");
    }
}
