using MoeGrains.Abstractions.Pipelines;
using YamlDotNet.RepresentationModel;

namespace MoeGrains.Pipelines;

/// <summary>Reads one entry of <c>stages:</c> — a mapping whose <c>stage</c> key names the kind — into its record.</summary>
internal static class StageReader
{
    private const string Stage = "stage", Dataset = "dataset", Steps = "steps", Batch = "batch", LearningRate = "lr",
        CheckpointEvery = "checkpoint-every", Domains = "domains", Train = "train", Split = "split", Blocks = "blocks",
        Mixtures = "mixtures", Domain = "domain", LearningRateScale = "lr-scale", Expert = "expert";

    /// <summary>The stage, or null when the entry is too broken to know its kind (the problem is reported).</summary>
    public static PipelineStage? Read(YamlNode entry, string path, string? defaultDataset, List<PipelineProblem> problems)
    {
        if (entry is not YamlMappingNode mapping)
        {
            problems.Add(new PipelineProblem((int)entry.Start.Line, (int)entry.Start.Column, path,
                "a stage must be a mapping with a 'stage' key, e.g. '- stage: seed'."));
            return null;
        }
        var kind = (mapping.Children.FirstOrDefault(pair => (pair.Key as YamlScalarNode)?.Value == Stage).Value as YamlScalarNode)?.Value;
        var line = (int)mapping.Start.Line;
        switch (kind)
        {
            case PipelineStageKinds.Seed:
            {
                var reader = new MappingReader(mapping, path, problems, Stage, Dataset, Steps, Batch, LearningRate, CheckpointEvery);
                return new SeedStage(line, DatasetOf(reader, defaultDataset), reader.RequiredInt(Steps, 1), reader.OptionalInt(Batch, 16, 1),
                    reader.OptionalPositiveDouble(LearningRate, 3e-3), reader.OptionalInt(CheckpointEvery, 50, 1));
            }
            case PipelineStageKinds.Branch:
            {
                var reader = new MappingReader(mapping, path, problems, Stage, Domains, Train);
                return new BranchStage(line, reader.OptionalStringList(Domains), reader.OptionalChoice(Train, "ffn", "ffn", "all") == "all");
            }
            case PipelineStageKinds.TrainExperts:
            {
                var reader = new MappingReader(mapping, path, problems, Stage, Steps, Batch, LearningRate, CheckpointEvery);
                return new TrainExpertsStage(line, reader.RequiredInt(Steps, 1), reader.OptionalInt(Batch, 16, 1),
                    reader.OptionalPositiveDouble(LearningRate, 3e-3), reader.OptionalInt(CheckpointEvery, 50, 1));
            }
            case PipelineStageKinds.EstimatePrior:
            {
                var reader = new MappingReader(mapping, path, problems, Stage, Dataset, Split, Blocks);
                return new EstimatePriorStage(line, DatasetOf(reader, defaultDataset), reader.OptionalChoice(Split, "valid", "train", "valid", "test"),
                    reader.OptionalInt(Blocks, 100, 1));
            }
            case PipelineStageKinds.Evaluate:
            {
                var reader = new MappingReader(mapping, path, problems, Stage, Dataset, Split, Mixtures);
                var mixtures = reader.OptionalStringList(Mixtures);
                foreach (var mixture in mixtures.Where(mixture => !MixtureNames.IsValid(mixture)))
                    reader.Report(reader.Find(Mixtures)!, reader.KeyPath(Mixtures), $"unknown mixture '{mixture}'; expected uniform, updating, cached or topk:K (K ≥ 1).");
                return new EvaluateStage(line, DatasetOf(reader, defaultDataset), reader.OptionalChoice(Split, "valid", "valid", "test"),
                    mixtures.Count > 0 ? mixtures : ["uniform", "cached"]);
            }
            case PipelineStageKinds.Publish:
                _ = new MappingReader(mapping, path, problems, Stage);
                return new PublishStage(line);
            case PipelineStageKinds.AddExpert:
            {
                var reader = new MappingReader(mapping, path, problems, Stage, Domain, Dataset, Steps, LearningRateScale);
                return new AddExpertStage(line, reader.RequiredString(Domain) ?? "", DatasetOf(reader, defaultDataset),
                    reader.OptionalInt(Steps, 1000, 1), reader.OptionalPositiveDouble(LearningRateScale, 0.1));
            }
            case PipelineStageKinds.RetireExpert:
            {
                var reader = new MappingReader(mapping, path, problems, Stage, Expert);
                return new RetireExpertStage(line, reader.RequiredString(Expert) ?? "");
            }
            default:
                problems.Add(new PipelineProblem(line, (int)mapping.Start.Column, $"{path}.{Stage}", kind is null
                    ? $"every stage needs a 'stage' key naming one of: {string.Join(", ", PipelineStageKinds.All)}."
                    : $"unknown stage '{kind}'; expected one of: {string.Join(", ", PipelineStageKinds.All)}."));
                return null;
        }
    }

    private static string DatasetOf(MappingReader reader, string? defaultDataset)
    {
        if (reader.Find(Dataset) is not null || defaultDataset is null) return reader.RequiredString(Dataset) ?? "";
        return defaultDataset;
    }
}
