using MoeGrains.Abstractions.Datasets;
using MoeGrains.Abstractions.Experts;
using MoeGrains.Abstractions.Inference;
using MoeGrains.Abstractions.Models;
using MoeGrains.Abstractions.Tensors;
using MoeGrains.Abstractions.Training;
using MoeGrains.Faults.Tests.Cluster;

namespace MoeGrains.Faults.Tests.BadInput;

/// <summary>Every kind of bad input the SDK test sends to the cluster, by name.</summary>
internal static class SdkBadInputCases
{
    private const string Served = FaultCluster.ServedModel;
    private static readonly Type Argument = typeof(ArgumentException);

    public static readonly IReadOnlyDictionary<string, SdkBadInputCase> All = new Dictionary<string, SdkBadInputCase>
    {
        ["score on an unknown model"] = new(c => c.Client.ScoreAsync("nobody", ["text"]), Argument, "Unknown model 'nobody'"),
        ["generate on an unknown model"] = new(c => Generate(c, "nobody", new GenerationRequest("hi")), Argument, "Unknown model 'nobody'"),
        ["train an unknown model"] = new(c => c.Client.TrainAsync("nobody", Training()), Argument, "Unknown model 'nobody'"),
        ["list experts of an unknown model"] = new(c => c.Client.ListExpertsAsync("nobody"), Argument, "Unknown model 'nobody'"),
        ["second model under an existing name"] = new(c => c.Client.CreateModelAsync(Served, new ModelSpec("tiny", "switch")), Argument, $"'{Served}' already exists"),
        ["unknown gate"] = new(c => c.Client.CreateModelAsync("bad-gate", new ModelSpec("tiny", "sparse")), Argument, "'sparse'"),
        ["unknown config preset"] = new(c => c.Client.CreateModelAsync("bad-preset", new ModelSpec("huge", "switch")), Argument, "'huge'"),
        ["unknown tokenizer"] = new(c => c.Client.CreateModelAsync("bad-tokenizer", new ModelSpec("tiny", "switch", "sentencepiece")), Argument, "'sentencepiece'"),
        ["zero experts"] = new(c => c.Client.CreateModelAsync("no-experts", new ModelSpec("tiny", "switch", Experts: 0)), Argument, "Experts must be positive"),
        ["model name in upper case"] = new(c => c.Client.CreateModelAsync("Served", new ModelSpec("tiny", "switch")), Argument, "'Served' is not a valid name"),
        ["model name of 64 characters"] = new(c => c.Client.CreateModelAsync(new string('m', 64), new ModelSpec("tiny", "switch")), Argument, "is not a valid name"),
        ["model name with a slash"] = new(c => c.Client.CreateModelAsync("team/model", new ModelSpec("tiny", "switch")), Argument, "'team/model' is not a valid name"),
        ["empty model name"] = new(c => c.Client.ScoreAsync("", ["text"]), Argument, "is not a valid name"),
        ["empty text to score"] = new(c => c.Client.ScoreAsync(Served, ["fine", ""]), Argument, "Text 1 is empty"),
        ["no texts to score"] = new(c => c.Client.ScoreAsync(Served, []), Argument, "Nothing to score"),
        ["empty prompt"] = new(c => Generate(c, Served, new GenerationRequest("")), Argument, "The prompt is empty"),
        ["zero max tokens"] = new(c => Generate(c, Served, new GenerationRequest("hi", MaxTokens: 0)), Argument, "MaxTokens must be positive"),
        ["negative temperature"] = new(c => Generate(c, Served, new GenerationRequest("hi", Temperature: -0.5)), Argument, "Temperature must be a finite number ≥ 0"),
        ["NaN temperature"] = new(c => Generate(c, Served, new GenerationRequest("hi", Temperature: double.NaN)), Argument, "Temperature"),
        ["top-p of 0"] = new(c => Generate(c, Served, new GenerationRequest("hi", Temperature: 1, TopP: 0)), Argument, "TopP must be in (0, 1]"),
        ["top-p above 1"] = new(c => Generate(c, Served, new GenerationRequest("hi", Temperature: 1, TopP: 1.5)), Argument, "TopP must be in (0, 1]"),
        ["negative top-k"] = new(c => Generate(c, Served, new GenerationRequest("hi", Temperature: 1, TopK: -1)), Argument, "TopK must be ≥ 0"),
        ["zero steps"] = new(c => c.Client.TrainAsync(Served, Training() with { Steps = 0 }), Argument, "Steps must be positive (got 0)"),
        ["negative steps"] = new(c => c.Client.TrainAsync(Served, Training() with { Steps = -5 }), Argument, "Steps must be positive (got -5)"),
        ["zero batch size"] = new(c => c.Client.TrainAsync(Served, Training() with { BatchSize = 0 }), Argument, "Batch size must be positive"),
        ["zero learning rate"] = new(c => c.Client.TrainAsync(Served, Training() with { LearningRate = 0 }), Argument, "Learning rate must be positive"),
        ["negative learning rate"] = new(c => c.Client.TrainAsync(Served, Training() with { LearningRate = -1e-3 }), Argument, "Learning rate must be positive"),
        ["NaN learning rate"] = new(c => c.Client.TrainAsync(Served, Training() with { LearningRate = double.NaN }), Argument, "Learning rate must be positive"),
        ["zero checkpoint interval"] = new(c => c.Client.TrainAsync(Served, Training() with { CheckpointEvery = 0 }), Argument, "CheckpointEvery must be positive"),
        ["train on an unknown dataset"] = new(c => c.Client.TrainAsync(Served, Training() with { Dataset = "nowhere" }), Argument, "Dataset 'nowhere' does not exist"),
        ["evaluate an unknown split"] = new(c => c.Client.EvaluateAsync(Served, FaultCluster.Dataset, "dev"), Argument, "Unknown split 'dev'"),
        ["evaluate an unknown dataset"] = new(c => c.Client.EvaluateAsync(Served, "nowhere"), Argument, "Dataset 'nowhere' does not exist"),
        ["upload a missing corpus folder"] = new(c => c.Client.UploadDatasetAsync("missing", "/nonexistent/corpus"), typeof(DirectoryNotFoundException), "'/nonexistent/corpus'"),
        ["upload an empty corpus folder"] = new(c => c.Client.UploadDatasetAsync("empty", Directory.CreateTempSubdirectory("moe-empty-").FullName), Argument, "has no <domain>/{train,valid,test}.txt"),
        ["dataset name in upper case"] = new(c => c.Client.UploadDatasetAsync("Faults", c.CorpusFolder), Argument, "'Faults' is not a valid name"),
        ["dataset split that does not exist"] = new(c => Dataset(c).UploadAsync("news", "dev", "A document."), Argument, "Unknown split 'dev'"),
        ["domain without documents"] = new(c => Dataset(c).UploadAsync("news", "train", "\n\n  \n"), Argument, "The train split of domain 'news' is empty"),
        ["expert input of the wrong width"] = new(c => Expert(c, 0, 0).ForwardAsync(new(0, Floats(3, 7), false)), Argument, "must have shape [n, 32]; got [3, 7]"),
        ["expert input of rank 3"] = new(c => Expert(c, 0, 0).ForwardAsync(new(0, Floats(1, 2, 32), false)), Argument, "must have shape [n, 32]; got [1, 2, 32]"),
        ["expert input as float64"] = new(c => Expert(c, 0, 0).ForwardAsync(new(0, new TensorPayload(new byte[2 * 32 * 8], [2, 32], TensorDType.Float64), false)), Argument, "must be Float32; got Float64"),
        ["expert input as token ids (int64)"] = new(c => Expert(c, 0, 0).ForwardAsync(new(0, new TensorPayload(new byte[2 * 32 * 8], [2, 32], TensorDType.Int64), false)), Argument, "must be Float32; got Int64"),
        ["expert input bytes not matching its shape"] = new(c => Expert(c, 0, 0).ForwardAsync(new(0, new TensorPayload(new byte[10], [2, 32], TensorDType.Float32), false)), Argument, "needs 256 bytes; got 10"),
        ["unknown expert id"] = new(c => Expert(c, 0, 99).GetInfoAsync(), Argument, "has no expert"),
    };

    public static TheoryData<string> Names() => [.. All.Keys];

    private static TrainingRequest Training() => new(FaultCluster.Dataset, 2, 2, 1e-2, 1, 1);

    private static async Task Generate(FaultCluster cluster, string model, GenerationRequest request)
    {
        await foreach (var _ in cluster.Client.GenerateAsync(model, request)) { }
    }

    private static IDatasetGrain Dataset(FaultCluster cluster) => cluster.Connection.Client.GetGrain<IDatasetGrain>(FaultCluster.Dataset);

    private static IExpertGrain Expert(FaultCluster cluster, int layer, int expert) =>
        cluster.Connection.Client.GetGrain<IExpertGrain>(new ExpertId(Served, layer, expert).Key);

    private static TensorPayload Floats(params long[] shape) =>
        new(new byte[shape.Aggregate(1L, (a, b) => a * b) * 4], shape, TensorDType.Float32);
}
