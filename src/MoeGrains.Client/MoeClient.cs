using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MoeGrains.Abstractions.Cluster;
using MoeGrains.Abstractions.Datasets;
using MoeGrains.Abstractions.Experts;
using MoeGrains.Abstractions.Inference;
using MoeGrains.Abstractions.Models;
using MoeGrains.Abstractions.Training;
using MoeGrains.Diagnostics;

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
    public Task UploadDatasetAsync(string name, string corpusDirectory, CancellationToken cancellationToken = default) =>
        UploadDatasetAsync(name, corpusDirectory, [], cancellationToken);

    /// <summary>Uploads the listed <paramref name="domains"/> of a corpus folder (every domain when the list is empty) as dataset <paramref name="name"/>.</summary>
    public async Task UploadDatasetAsync(string name, string corpusDirectory, IReadOnlyCollection<string> domains, CancellationToken cancellationToken = default)
    {
        ModelNames.Validate(name);
        if (!Directory.Exists(corpusDirectory))
            throw new DirectoryNotFoundException($"Corpus folder '{corpusDirectory}' does not exist.");
        var dataset = cluster.GetGrain<IDatasetGrain>(name);
        var uploaded = 0;
        foreach (var domainDirectory in Directory.GetDirectories(corpusDirectory).Order(StringComparer.Ordinal))
        {
            if (domains.Count > 0 && !domains.Contains(Path.GetFileName(domainDirectory))) continue;
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
    public Task<EvaluationResult> EvaluateAsync(string model, string dataset, string split = "valid") =>
        MeasuredAsync(model, "evaluate", router => router.EvaluateAsync(dataset, split));

    /// <summary>Per-token log-probabilities of each text.</summary>
    public Task<IReadOnlyList<TokenScores>> ScoreAsync(string model, IReadOnlyList<string> texts) =>
        MeasuredAsync(model, "score", router => router.ScoreAsync(texts));

    /// <summary>
    /// Accuracy, 95 % bootstrap interval and n of each zero-shot scoring method on a labelled multiple-choice task; the
    /// router runs the same scoring code as the in-process path, several sequences per forward.
    /// </summary>
    public Task<IReadOnlyList<MethodAccuracyResult>> ScoreChoicesAsync(string model, ChoiceScoringRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Router(model).ScoreChoicesAsync(request);
    }

    /// <summary>Streams generated tokens as they come.</summary>
    public async IAsyncEnumerable<GeneratedToken> GenerateAsync(string model, GenerationRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var router = Router(model);
        var started = Stopwatch.GetTimestamp();
        var completed = false;
        try
        {
            await foreach (var token in router.GenerateAsync(request).WithCancellation(cancellationToken))
                yield return token;
            completed = true;
        }
        finally
        {
            MoeMetrics.RecordRequest(MoeMetrics.ClientSide, model, "generate", started, failed: !completed);
        }
    }

    /// <summary>Every training run of the model: losses and sampled per-expert routing (what <c>moe report</c> plots).</summary>
    public Task<TrainingHistory> GetTrainingHistoryAsync(string model) => Router(model).GetTrainingHistoryAsync();

    /// <summary>Every expert of the model: where it lives, its device, its load.</summary>
    public Task<IReadOnlyList<ExpertInfo>> ListExpertsAsync(string model) => Router(model).ListExpertsAsync();

    /// <summary>Runs a router request and records its duration on <see cref="MoeMetrics.RequestDuration"/> (side <c>client</c>).</summary>
    private async Task<T> MeasuredAsync<T>(string model, string operation, Func<IRouterGrain, Task<T>> request)
    {
        var router = Router(model);
        var started = Stopwatch.GetTimestamp();
        var failed = true;
        try
        {
            var result = await request(router);
            failed = false;
            return result;
        }
        finally
        {
            MoeMetrics.RecordRequest(MoeMetrics.ClientSide, model, operation, started, failed);
        }
    }

    /// <summary>Every active silo: address, accelerator, devices, expert slots, experts hosted, whether it is draining.</summary>
    public Task<IReadOnlyList<SiloInfo>> ListSilosAsync() => Operations.ListSilosAsync();

    /// <summary>
    /// Drains <paramref name="silo"/> for scale-in: placement stops picking it and every expert on it moves to another expert silo,
    /// reloading its weights from its latest committed checkpoint there. Completes when the silo hosts no expert; the silo can
    /// then stop with nothing lost. A training run whose experts move rolls back to its last checkpoint and carries on.
    /// </summary>
    /// <param name="silo">The silo's address as <see cref="ListSilosAsync"/> shows it (or <c>host:port</c>).</param>
    /// <param name="progress">Receives each polled status, the last one final.</param>
    /// <param name="timeout">How long to wait for the silo to empty (default 5 minutes).</param>
    /// <param name="cancellationToken">Stops waiting (the drain itself goes on).</param>
    /// <exception cref="ArgumentException">No active silo has that address.</exception>
    /// <exception cref="InvalidOperationException">No other expert silo could take its experts; nothing was moved.</exception>
    /// <exception cref="TimeoutException">The silo still hosts experts after <paramref name="timeout"/>.</exception>
    public async Task<DrainStatus> DrainSiloAsync(string silo, IProgress<DrainStatus>? progress = null, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        var limit = timeout ?? TimeSpan.FromMinutes(5);
        var status = await Operations.StartDrainAsync(silo);
        progress?.Report(status);
        while (!status.Completed)
        {
            if (status.Elapsed > limit)
                throw new TimeoutException($"Silo {status.Silo} still hosts {status.ExpertsRemaining} of {status.ExpertsAtStart} experts after {limit.TotalSeconds:F0} s of draining.");
            await Task.Delay(100, cancellationToken);
            status = await Operations.GetDrainStatusAsync(status.Silo);
            progress?.Report(status);
        }
        logger.LogInformation("Drained {Silo}: {Experts} expert(s) moved in {Seconds:F1} s", status.Silo, status.ExpertsAtStart, status.Elapsed.TotalSeconds);
        return status;
    }

    private IClusterOperationsGrain Operations => cluster.GetGrain<IClusterOperationsGrain>(IClusterOperationsGrain.Key);

    private IRouterGrain Router(string model)
    {
        ModelNames.Validate(model);
        return cluster.GetGrain<IRouterGrain>(model);
    }
}
