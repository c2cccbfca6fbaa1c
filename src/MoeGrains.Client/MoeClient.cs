using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MoeGrains.Abstractions.Datasets;
using MoeGrains.Abstractions.Experts;
using MoeGrains.Abstractions.Inference;
using MoeGrains.Abstractions.Models;
using MoeGrains.Abstractions.Training;

namespace MoeGrains.Client;

/// <summary>
/// The MoeGrains client SDK: creates models, uploads datasets, starts and observes training, evaluates, scores and
/// generates, and lists where experts live. Wraps a connected Orleans <see cref="IClusterClient"/>.
/// </summary>
public sealed partial class MoeClient(IClusterClient cluster, ILogger<MoeClient>? logger = null)
{
    private readonly ILogger logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>Creates a model; fails with <see cref="ArgumentException"/> when the name is taken or the spec is invalid.</summary>
    public Task<ModelInfo> CreateModelAsync(string name, ModelSpec spec)
    {
        ModelNames.Validate(name);
        return Router(name).CreateAsync(spec);
    }

    /// <summary>The model's configuration and latest committed version.</summary>
    public Task<ModelInfo> GetModelAsync(string name) => Router(name).GetInfoAsync();

    /// <summary>Every model the cluster knows.</summary>
    public Task<IReadOnlyList<string>> ListModelsAsync() => cluster.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key).ListAsync();

    /// <summary>Uploads a corpus folder (<c>&lt;dir&gt;/&lt;domain&gt;/{train,valid,test}.txt</c>) as dataset <paramref name="name"/>.</summary>
    public async Task UploadDatasetAsync(string name, string corpusDirectory, CancellationToken cancellationToken = default)
    {
        ModelNames.Validate(name);
        if (!Directory.Exists(corpusDirectory))
            throw new DirectoryNotFoundException($"Corpus folder '{corpusDirectory}' does not exist.");
        var dataset = cluster.GetGrain<IDatasetGrain>(name);
        var uploaded = 0;
        foreach (var domainDirectory in Directory.GetDirectories(corpusDirectory).Order(StringComparer.Ordinal))
        {
            foreach (var split in new[] { "train", "valid", "test" })
            {
                var path = Path.Combine(domainDirectory, split + ".txt");
                if (!File.Exists(path)) continue;
                var text = await File.ReadAllTextAsync(path, cancellationToken);
                await dataset.UploadAsync(Path.GetFileName(domainDirectory), split, text);
                uploaded++;
            }
        }
        if (uploaded == 0)
            throw new ArgumentException($"Corpus folder '{corpusDirectory}' has no <domain>/{{train,valid,test}}.txt files.");
        logger.LogInformation("Uploaded {Files} corpus files from {Folder} as dataset {Dataset}", uploaded, corpusDirectory, name);
    }

    /// <summary>Starts training in the cluster and returns a handle to observe or cancel it.</summary>
    public async Task<TrainingHandle> TrainAsync(string model, TrainingRequest request)
    {
        var router = Router(model);
        await router.StartTrainingAsync(request);
        return new TrainingHandle(router);
    }

    /// <summary>Per-domain perplexity of a dataset split.</summary>
    public Task<EvaluationResult> EvaluateAsync(string model, string dataset, string split = "valid") => Router(model).EvaluateAsync(dataset, split);

    /// <summary>Per-token log-probabilities of each text.</summary>
    public Task<IReadOnlyList<TokenScores>> ScoreAsync(string model, IReadOnlyList<string> texts) => Router(model).ScoreAsync(texts);

    /// <summary>Streams generated tokens as they come.</summary>
    public async IAsyncEnumerable<GeneratedToken> GenerateAsync(string model, GenerationRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var token in Router(model).GenerateAsync(request).WithCancellation(cancellationToken))
            yield return token;
    }

    /// <summary>Every expert of the model: where it lives, its device, its load.</summary>
    public Task<IReadOnlyList<ExpertInfo>> ListExpertsAsync(string model) => Router(model).ListExpertsAsync();

    private IRouterGrain Router(string model)
    {
        ModelNames.Validate(model);
        return cluster.GetGrain<IRouterGrain>(model);
    }
}
