using MoeGrains.Abstractions.Pipelines;

namespace MoeGrains.Pipelines.Tests;

public sealed class PipelineFileTests(CorpusFixture corpus) : IClassFixture<CorpusFixture>
{
    private const string FullRun = """
        name: demo
        model:
          name: demix-demo
          config: tiny
          seed: 7
        datasets:
          text:
            path: corpus
        stages:
          - stage: seed
            steps: 20
            batch: 4
          - stage: branch
          - stage: train-experts
            steps: 10
            checkpoint-every: 5
          - stage: estimate-prior
            blocks: 12
          - stage: evaluate
            split: test
            mixtures: [uniform, cached, "topk:2"]
          - stage: publish
        """;

    private PipelineDefinition Parse(string text) => PipelineFile.Parse(text, "pipeline.yaml", corpus.Root);

    private PipelineDefinitionException Rejected(string text) => Assert.Throws<PipelineDefinitionException>(() => Parse(text));

    [Fact]
    public void A_full_run_parses_into_typed_stages_with_defaults_and_lines()
    {
        var definition = Parse(FullRun);

        Assert.Equal("demo", definition.Name);
        Assert.Equal(new PipelineModel("demix-demo", "tiny", "domain", "bytes", 7), definition.Model);
        var dataset = Assert.Single(definition.Datasets);
        Assert.Equal(["alpha", "beta", "gamma"], dataset.Domains);
        Assert.Equal(Path.Combine(corpus.Root, "corpus"), dataset.Path);
        Assert.Equal([PipelineStageKinds.Seed, PipelineStageKinds.Branch, PipelineStageKinds.TrainExperts, PipelineStageKinds.EstimatePrior,
            PipelineStageKinds.Evaluate, PipelineStageKinds.Publish], definition.Stages.Select(stage => stage.Kind));
        var seed = Assert.IsType<SeedStage>(definition.Stages[0]);
        Assert.Equal((10, "text", 20, 4, 3e-3, 50), (seed.Line, seed.Dataset, seed.Steps, seed.BatchSize, seed.LearningRate, seed.CheckpointEvery));
        var train = Assert.IsType<TrainExpertsStage>(definition.Stages[2]);
        Assert.Equal((10, 5), (train.Steps, train.CheckpointEvery));
        Assert.Equal(["uniform", "cached", "topk:2"], Assert.IsType<EvaluateStage>(definition.Stages[4]).Mixtures);
        Assert.Equal(12, Assert.IsType<EstimatePriorStage>(definition.Stages[3]).Blocks);
        Assert.False(Assert.IsType<BranchStage>(definition.Stages[1]).TrainAll);
    }

    [Fact]
    public void Json_is_read_like_yaml()
    {
        var json = """
            {
              "model": { "name": "demix-json", "config": "tiny" },
              "datasets": { "text": { "path": "corpus", "domains": ["alpha", "beta"] } },
              "stages": [
                { "stage": "seed", "steps": 5 },
                { "stage": "branch", "train": "all" }
              ]
            }
            """;
        var definition = PipelineFile.Parse(json, "run.json", corpus.Root);

        Assert.Equal("run", definition.Name);
        Assert.Equal(["alpha", "beta"], definition.Datasets[0].Domains);
        Assert.True(Assert.IsType<BranchStage>(definition.Stages[1]).TrainAll);
    }

    [Fact]
    public void An_unknown_key_is_named_with_its_line()
    {
        var error = Rejected(FullRun.Replace("    steps: 20", "    stepz: 20"));

        Assert.Contains(error.Problems, problem => problem.Line == 11 && problem.Key == "stages[0].stepz" && problem.Message.Contains("unknown key 'stepz'"));
        Assert.Contains(error.Problems, problem => problem.Key == "stages[0].steps" && problem.Message.Contains("required"));
        Assert.Contains("line 11", error.Message);
    }

    [Fact]
    public void Every_problem_of_a_file_is_reported_at_once()
    {
        var error = Rejected(FullRun.Replace("config: tiny", "config: huge").Replace("batch: 4", "batch: -1").Replace("[uniform,", "[sometimes,"));

        Assert.Equal(3, error.Problems.Count);
        Assert.Contains(error.Problems, problem => problem.Key == "model.config" && problem.Message.Contains("tiny, small, base"));
        Assert.Contains(error.Problems, problem => problem.Key == "stages[0].batch" && problem.Message.Contains("'-1'"));
        Assert.Contains(error.Problems, problem => problem.Key == "stages[4].mixtures" && problem.Message.Contains("'sometimes'"));
    }

    [Fact]
    public void Training_experts_before_branching_is_an_impossible_order()
    {
        var text = FullRun.Replace("  - stage: branch\n  - stage: train-experts", "  - stage: train-experts")
            .Replace("    checkpoint-every: 5\n", "    checkpoint-every: 5\n  - stage: branch\n");
        var error = Rejected(text);

        var problem = Assert.Single(error.Problems, p => p.Message.Contains("put a 'branch' stage before it"));
        Assert.Equal("stages[1].stage", problem.Key);
        Assert.Contains("'train-experts'", problem.Message);
    }

    [Theory]
    [InlineData("  - stage: publish", "  - stage: publish\n  - stage: retire-expert\n    expert: alpha", "comes after 'publish'")]
    [InlineData("  - stage: seed\n    steps: 20", "  - stage: evaluate\n  - stage: seed\n    steps: 20", "must be the first stage")]
    [InlineData("  - stage: publish", "  - stage: add-expert\n    domain: beta\n  - stage: publish", "domain 'beta' already has an expert")]
    [InlineData("  - stage: publish", "  - stage: retire-expert\n    expert: delta\n  - stage: publish", "unknown expert 'delta'")]
    [InlineData("  - stage: branch", "  - stage: branch\n    domains: [alpha]", "")]
    [InlineData("  config: tiny", "  config: tiny\n  gate: switch", "not from a 'switch' model")]
    public void The_expert_set_and_stage_order_are_checked(string find, string replace, string expected)
    {
        var text = FullRun.Replace(find, replace);
        if (expected.Length == 0)
        {
            Assert.Equal(["alpha"], Assert.IsType<BranchStage>(Parse(text).Stages[1]).Domains);
            return;
        }
        Assert.Contains(Rejected(text).Problems, problem => problem.Message.Contains(expected));
    }

    [Fact]
    public void Retiring_the_last_expert_is_refused()
    {
        var text = FullRun.Replace("  - stage: branch", "  - stage: branch\n    domains: [alpha]")
            .Replace("  - stage: publish", "  - stage: retire-expert\n    expert: alpha\n  - stage: publish");

        Assert.Contains(Rejected(text).Problems, problem => problem.Message.Contains("'alpha' is the last expert"));
    }

    [Fact]
    public void A_missing_dataset_and_a_missing_domain_are_named()
    {
        var undeclared = Rejected(FullRun.Replace("    blocks: 12", "    blocks: 12\n    dataset: other"));
        Assert.Contains(undeclared.Problems, problem => problem.Key == "stages[3].dataset" && problem.Message.Contains("'other'"));

        var noFolder = Rejected(FullRun.Replace("path: corpus", "path: no-such-corpus"));
        Assert.Contains(noFolder.Problems, problem => problem.Key == "datasets.text.path" && problem.Message.Contains("does not exist"));

        var noDomain = Rejected(FullRun.Replace("path: corpus", "path: corpus\n    domains: [alpha, notes]"));
        Assert.Contains(noDomain.Problems, problem => problem.Key == "datasets.text.domains" && problem.Message.Contains("'notes' has no train.txt"));
    }

    [Fact]
    public void Broken_syntax_names_the_line()
    {
        var error = Rejected("model:\n  name: x\nstages: [\n  - stage: seed\n");

        var problem = Assert.Single(error.Problems);
        Assert.Equal("(syntax)", problem.Key);
        Assert.True(problem.Line >= 3, $"line {problem.Line}");
    }

    [Fact]
    public void A_file_without_model_or_stages_says_what_is_required()
    {
        var error = Rejected("name: x\n");

        Assert.Contains(error.Problems, problem => problem.Key == "model" && problem.Message.Contains("required"));
        Assert.Contains(error.Problems, problem => problem.Key == "stages" && problem.Message.Contains("non-empty list"));
    }

    [Fact]
    public void Lifecycle_runs_work_on_an_existing_model_without_a_seed()
    {
        var text = """
            model:
              name: demix-demo
              existing: true
            datasets:
              text:
                path: corpus
            stages:
              - stage: add-expert
                domain: gamma
                steps: 30
              - stage: retire-expert
                expert: alpha
              - stage: estimate-prior
              - stage: publish
            """;
        var definition = Parse(text);

        var add = Assert.IsType<AddExpertStage>(definition.Stages[0]);
        Assert.Equal(("gamma", "text", 30, 0.1), (add.Domain, add.Dataset, add.Steps, add.LearningRateScale));
        Assert.Contains(Rejected(text.Replace("  existing: true\n", "")).Problems, problem => problem.Message.Contains("needs a domain-expert model"));
    }

    [Fact]
    public void The_shipped_sample_pipeline_is_valid()
    {
        var path = Path.Combine(RepositoryRoot(), "src", "MoeGrains.Cli", "pipelines", "sample.yaml");
        var definition = PipelineFile.Load(path);

        Assert.Equal(7, definition.Datasets[0].Domains.Count);
        Assert.Equal(PipelineStageKinds.Publish, definition.Stages[^1].Kind);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "MoeGrains.sln"))) return folder.FullName;
        throw new InvalidOperationException("MoeGrains.sln not found above the test binaries.");
    }
}
