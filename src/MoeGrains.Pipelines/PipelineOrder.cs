using MoeGrains.Abstractions.Pipelines;

namespace MoeGrains.Pipelines;

/// <summary>
/// Checks that the stages can run in the order written: a model exists before it is changed, experts are branched
/// before they train, datasets are declared and hold the domains named, and the expert set stays consistent (no
/// second expert for a domain, no retiring an unknown or the last expert).
/// </summary>
internal static class PipelineOrder
{
    public static void Check(PipelineDefinition definition, List<PipelineProblem> problems)
    {
        var hasModel = definition.Model.Existing;
        var experts = definition.Model.Existing ? null : new HashSet<string>(StringComparer.Ordinal); // null: not known before the run
        var branched = definition.Model.Existing;
        PipelineStage? published = null;

        for (var i = 0; i < definition.Stages.Count; i++)
        {
            var stage = definition.Stages[i];
            var key = $"stages[{i}]";
            void Report(string message) => problems.Add(new PipelineProblem(stage.Line, 3, $"{key}.stage", $"'{stage.Kind}': {message}"));

            if (published is not null && stage.ChangesModel)
                Report($"comes after 'publish' (line {published.Line}); stages that change the model must come before it.");

            switch (stage)
            {
                case SeedStage seed:
                    if (definition.Model.Existing) Report("model.existing is true, so the model must not be seeded again.");
                    else if (i != 0) Report("must be the first stage.");
                    hasModel = true;
                    CheckDataset(definition, seed.Dataset, key, stage, problems);
                    break;
                case BranchStage branch:
                    if (!hasModel) Report("needs a model: add a 'seed' stage before it or set model.existing: true.");
                    if (definition.Model.Gate is not ("domain" or "dense"))
                        Report($"branches domain experts from a 'domain' (DEMix) or 'dense' seed, not from a '{definition.Model.Gate}' model.");
                    if (definition.Stages.OfType<SeedStage>().FirstOrDefault() is { } seedStage && definition.FindDataset(seedStage.Dataset) is { } seedData)
                    {
                        foreach (var domain in branch.Domains.Where(domain => !seedData.Domains.Contains(domain)))
                            Report($"domain '{domain}' is not in the seed dataset '{seedData.Name}' ({string.Join(", ", seedData.Domains)}).");
                        experts?.UnionWith(branch.Domains.Count > 0 ? branch.Domains : seedData.Domains);
                    }
                    branched = true;
                    break;
                case TrainExpertsStage:
                    if (!branched) Report("needs experts: put a 'branch' stage before it.");
                    break;
                case EstimatePriorStage prior:
                    if (!branched) Report("needs experts: put a 'branch' stage before it.");
                    CheckDataset(definition, prior.Dataset, key, stage, problems);
                    break;
                case EvaluateStage evaluate:
                    if (!hasModel) Report("needs a model: add a 'seed' stage before it or set model.existing: true.");
                    CheckDataset(definition, evaluate.Dataset, key, stage, problems);
                    break;
                case PublishStage:
                    if (!hasModel) Report("needs a model: add a 'seed' stage before it or set model.existing: true.");
                    if (published is not null) Report($"the run already publishes at line {published.Line}.");
                    published ??= stage;
                    break;
                case AddExpertStage add:
                    if (!branched) Report("needs a domain-expert model: put a 'branch' stage before it or set model.existing: true.");
                    if (CheckDataset(definition, add.Dataset, key, stage, problems) is { } data && !data.Domains.Contains(add.Domain))
                        Report($"dataset '{data.Name}' has no domain '{add.Domain}' ({string.Join(", ", data.Domains)}).");
                    if (experts is not null && !experts.Add(add.Domain)) Report($"domain '{add.Domain}' already has an expert.");
                    break;
                case RetireExpertStage retire:
                    if (!branched) Report("needs a domain-expert model: put a 'branch' stage before it or set model.existing: true.");
                    if (experts is not null)
                    {
                        if (!experts.Contains(retire.Expert))
                            Report($"unknown expert '{retire.Expert}'; the run's experts at this point are: {string.Join(", ", experts.Order(StringComparer.Ordinal))}.");
                        else if (experts.Count == 1) Report($"'{retire.Expert}' is the last expert; a model keeps at least one.");
                        else experts.Remove(retire.Expert);
                    }
                    break;
            }
        }
    }

    private static PipelineDataset? CheckDataset(PipelineDefinition definition, string name, string key, PipelineStage stage, List<PipelineProblem> problems)
    {
        if (name.Length == 0) return null; // already reported as missing
        var dataset = definition.FindDataset(name);
        if (dataset is null)
            problems.Add(new PipelineProblem(stage.Line, 3, $"{key}.dataset",
                $"'{stage.Kind}' reads dataset '{name}', which 'datasets' does not declare ({string.Join(", ", definition.Datasets.Select(d => d.Name))})."));
        return dataset;
    }
}
