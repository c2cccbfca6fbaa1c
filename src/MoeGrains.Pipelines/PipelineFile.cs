using MoeGrains.Abstractions.Pipelines;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MoeGrains.Pipelines;

/// <summary>
/// Loads a pipeline file (YAML, or JSON — a subset of YAML) into a <see cref="PipelineDefinition"/> and validates it
/// before anything runs: unknown keys, wrong values, missing datasets and impossible stage orders are all reported at
/// once, each with its line and key, in one <see cref="PipelineDefinitionException"/>.
/// </summary>
public static class PipelineFile
{
    private const string Name = "name", Model = "model", Datasets = "datasets", Stages = "stages";

    /// <summary>Reads and validates the file at <paramref name="path"/>; relative dataset paths resolve against its folder.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="PipelineDefinitionException">The file is not a valid pipeline.</exception>
    public static PipelineDefinition Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Pipeline file '{path}' does not exist.", path);
        var fullPath = Path.GetFullPath(path);
        return Parse(File.ReadAllText(fullPath), Path.GetFileName(fullPath), Path.GetDirectoryName(fullPath)!);
    }

    /// <summary>Parses and validates pipeline text; <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="PipelineDefinitionException">The text is not a valid pipeline.</exception>
    public static PipelineDefinition Parse(string text, string source, string baseDirectory)
    {
        var problems = new List<PipelineProblem>();
        var root = ReadRoot(text, source);
        var reader = new MappingReader(root, "", problems, Name, Model, Datasets, Stages);

        var model = ReadModel(reader, problems);
        var datasets = ReadDatasets(reader, baseDirectory, problems);
        var defaultDataset = datasets.Count == 1 ? datasets[0].Name : null;
        var stages = ReadStages(reader, defaultDataset, problems);
        var definition = new PipelineDefinition(reader.OptionalString(Name, null) ?? Path.GetFileNameWithoutExtension(source), model, datasets, stages);

        if (problems.Count == 0) PipelineOrder.Check(definition, problems);
        if (problems.Count > 0) throw new PipelineDefinitionException(source, [.. problems.OrderBy(problem => problem.Line)]);
        return definition;
    }

    private static YamlMappingNode ReadRoot(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new PipelineDefinitionException(source,
                [new PipelineProblem((int)e.Start.Line, (int)e.Start.Column, "(syntax)", $"not valid YAML or JSON: {e.Message}")]);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new PipelineDefinitionException(source,
                [new PipelineProblem(1, 1, "(file)", "a pipeline file must be a mapping with 'model', 'datasets' and 'stages'.")]);
        return root;
    }

    private static PipelineModel ReadModel(MappingReader parent, List<PipelineProblem> problems)
    {
        if (parent.Find(Model) is not YamlMappingNode node)
        {
            parent.Report(parent.Find(Model) ?? parent.Node, Model, "'model' is required: a mapping with at least 'name'.");
            return new PipelineModel("");
        }
        var reader = new MappingReader(node, Model, problems, "name", "config", "gate", "tokenizer", "seed", "existing");
        var name = reader.RequiredString("name") ?? "";
        if (name.Length > 0 && !ResourceNames.IsValid(name))
            reader.Report(reader.Find("name")!, reader.KeyPath("name"), $"'{name}' is not a valid model name: {ResourceNames.Rule}.");
        return new PipelineModel(name,
            reader.OptionalChoice("config", "small", "tiny", "small", "base"),
            reader.OptionalChoice("gate", "domain", "domain", "dense", "switch", "top2", "base", "hash"),
            reader.OptionalChoice("tokenizer", "bytes", "bytes", "gpt2"),
            reader.OptionalInt("seed", 1234, 0),
            reader.OptionalBool("existing", false));
    }

    private static IReadOnlyList<PipelineDataset> ReadDatasets(MappingReader parent, string baseDirectory, List<PipelineProblem> problems)
    {
        var node = parent.Find(Datasets);
        if (node is null) return [];
        if (node is not YamlMappingNode mapping)
        {
            parent.Report(node, Datasets, "'datasets' must map dataset names to {path, domains}.");
            return [];
        }
        var datasets = new List<PipelineDataset>();
        foreach (var (key, value) in mapping.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            var path = $"{Datasets}.{name}";
            if (!ResourceNames.IsValid(name))
                problems.Add(new PipelineProblem((int)key.Start.Line, (int)key.Start.Column, path, $"'{name}' is not a valid dataset name: {ResourceNames.Rule}."));
            if (value is not YamlMappingNode datasetNode)
            {
                problems.Add(new PipelineProblem((int)value.Start.Line, (int)value.Start.Column, path, "a dataset is a mapping with 'path' and optional 'domains'."));
                continue;
            }
            var reader = new MappingReader(datasetNode, path, problems, "path", "domains");
            var folder = reader.RequiredString("path");
            if (folder is null) continue;
            var resolved = Path.GetFullPath(Path.Combine(baseDirectory, folder));
            var domains = CorpusFolder.Domains(resolved, reader.OptionalStringList("domains"), message => reader.Report(reader.Find("path")!, reader.KeyPath("path"), message),
                (domain, message) => reader.Report(reader.Find("domains")!, reader.KeyPath("domains"), message));
            datasets.Add(new PipelineDataset(name, resolved, domains));
        }
        return datasets;
    }

    private static IReadOnlyList<PipelineStage> ReadStages(MappingReader parent, string? defaultDataset, List<PipelineProblem> problems)
    {
        if (parent.Find(Stages) is not YamlSequenceNode { Children.Count: > 0 } sequence)
        {
            parent.Report(parent.Find(Stages) ?? parent.Node, Stages, "'stages' is required: a non-empty list of stages.");
            return [];
        }
        var stages = new List<PipelineStage>();
        for (var i = 0; i < sequence.Children.Count; i++)
            if (StageReader.Read(sequence.Children[i], $"{Stages}[{i}]", defaultDataset, problems) is { } stage) stages.Add(stage);
        return stages;
    }
}
