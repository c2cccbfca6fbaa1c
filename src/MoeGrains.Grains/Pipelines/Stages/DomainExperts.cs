using System.Globalization;
using MoeGrains.Abstractions.Domains;
using MoeGrains.Abstractions.Pipelines;

namespace MoeGrains.Grains.Pipelines.Stages;

/// <summary>What the domain-expert stages share: the mixture grain, the branch's choices and the expert progress lines.</summary>
internal static class DomainExperts
{
    public const string SharedVersion = "shared-version", Domains = "domains", BaseVersion = "base-version", Started = "started";

    public static IDomainMixtureGrain Mixture(StageContext context) => context.Grains.GetGrain<IDomainMixtureGrain>(context.Model.Name);

    /// <summary>The dataset the experts train on: the seed's, else the run's first.</summary>
    public static string Dataset(StageContext context) =>
        context.Definition.Stages.OfType<SeedStage>().FirstOrDefault()?.Dataset
        ?? context.Definition.Datasets.FirstOrDefault()?.Name
        ?? throw new ArgumentException($"Pipeline '{context.Definition.Name}' declares no dataset for its experts.");

    /// <summary>The branch stage before this one with what it recorded (domains, shared version).</summary>
    public static (BranchStage Stage, IReadOnlyList<string> Domains, int SharedVersion) Branch(StageContext context)
    {
        var (stage, record) = context.Earlier<BranchStage>()
            ?? throw new ArgumentException($"Stage '{context.Stage.Kind}' (line {context.Stage.Line}) needs a 'branch' stage before it.");
        if (!record.Markers.TryGetValue(Domains, out var domains) || !record.Markers.TryGetValue(SharedVersion, out var version))
            throw new InvalidOperationException($"The branch stage (line {stage.Line}) has not recorded its experts yet.");
        return (stage, domains.Split(','), int.Parse(version, CultureInfo.InvariantCulture));
    }

    public static IReadOnlyList<ExpertProgress> Progress(DomainMixtureStatus status) =>
        [.. status.Training.Select(expert => new ExpertProgress(expert.Expert, expert.Step, expert.TotalSteps, expert.Loss, expert.TokensPerSecond))];
}
