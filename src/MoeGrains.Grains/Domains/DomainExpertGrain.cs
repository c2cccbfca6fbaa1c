using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using MoeGrains.Abstractions.Domains;
using MoeGrains.Abstractions.Tensors;
using MoeGrains.Abstractions.Training;
using MoeGrains.Grains.Datasets;
using MoeGrains.Grains.Placement;
using MoeGrains.Grains.Tensors;
using MoeGrains.Model;
using MoeGrains.Model.Data;
using MoeGrains.Model.Domains;
using MoeGrains.Model.Training;
using MoeGrains.Storage;
using MoeGrains.Storage.Layout;
using static TorchSharp.torch;

namespace MoeGrains.Grains.Domains;

/// <summary>
/// One domain's expert on an expert silo (same placement as <see cref="Experts.ExpertGrain"/>): a thin adapter over
/// <see cref="BranchTraining"/> and <see cref="DomainExpert"/>. Training advances one step per grain-timer turn and commits
/// the expert's stored weights (FFNs, or all for BTM) to the store every N steps and at the end; scoring loads the
/// committed version a request pins.
/// </summary>
[ExpertSlotsFilter, LeastLoadedDevicePlacement]
public sealed class DomainExpertGrain(ICheckpointStore store, DeviceAllocator devices, ILocalSiloDetails silo, ILogger<DomainExpertGrain> logger)
    : Grain, IDomainExpertGrain
{
    internal static readonly string WeightsBlob = CheckpointLayout.Domain("weights.bin");
    private const string SharedVersionKey = "sharedVersion";
    private const string ModeKey = "mode";

    private string model = "";
    private string domain = "";
    private string storeName = "";
    private DeviceAssignment? device;
    private DomainExpert? training;
    private BranchRun? run;
    private int committed;
    private (int Version, DomainExpert Expert)? scoring;

    /// <inheritdoc/>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (model, domain) = DomainExpertNames.ParseGrainKey(this.GetPrimaryKeyString());
        storeName = DomainExpertNames.StoreName(model, domain);
        device = await devices.AcquireAsync(this.GetGrainId());
        committed = (int)(await store.LatestVersionAsync(storeName, cancellationToken) ?? 0);
        logger.LogInformation("Domain expert {Model}/{Domain} activated on {Silo}, version {Version}", model, domain, silo.SiloAddress, committed);
    }

    /// <inheritdoc/>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        run?.Dispose();
        training?.Dispose();
        scoring?.Expert.Dispose();
        await devices.ReleaseAsync(this.GetGrainId());
    }

    /// <inheritdoc/>
    public async Task<DomainExpertStatus> StartTrainingAsync(DomainExpertTrainingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (run?.State == TrainingState.Running)
            throw new InvalidOperationException($"Domain expert '{domain}' of '{model}' is already training (step {run.Step} of {run.Request.Steps}).");
        Validate(request);
        var corpus = await DatasetDownloads.OpenAsync(store, request.Dataset);
        if (!corpus.Domains.Contains(domain))
            throw new ArgumentException($"Dataset '{request.Dataset}' has no domain '{domain}'. Domains: {string.Join(", ", corpus.Domains)}.");
        using var shared = await SharedModels.ReadAsync(store, model, request.SharedVersion);
        var data = TokenizedSplit.Create(corpus, TokenizerFactory.Create(shared.Config.Tokenizer), CorpusSplit.Train).Stream(domain);
        var start = request.InitFrom is { } parent
            ? await LoadCommittedAsync(parent, request.InitFromVersion, shared, asNew: true)
            : new DomainExpert(domain, DomainExpertWeights.Extract(shared, SharedExpertIndex(shared.Config, corpus, request.Dataset)));

        run?.Dispose();
        training?.Dispose();
        training = start;
        var mode = request.AllParameters ? BranchMode.AllParameters : BranchMode.FeedForward;
        var options = new TrainingOptions(request.Steps, request.BatchSize, request.LearningRate, Seed: request.Seed, Trainable: mode.Trainable());
        run = new BranchRun(request, mode, new Trainer(training.Model, options, logger),
            BranchTraining.Sampler(data, shared.Config.ContextLength, request.Seed));
        run.Timer = this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.Zero,
            Period = TimeSpan.FromMilliseconds(1),
            Interleave = false,
            KeepAlive = true,
        });
        logger.LogInformation("Domain expert {Model}/{Domain} branch-training {Steps} steps ({Mode}) from shared version {Shared}",
            model, domain, request.Steps, mode, request.SharedVersion);
        return Status();
    }

    /// <inheritdoc/>
    public Task<DomainExpertStatus> GetStatusAsync() => Task.FromResult(Status());

    /// <inheritdoc/>
    public async Task<TensorPayload> LogProbsAsync(TensorPayload blocks, int version)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var expert = await ScoringExpertAsync(version);
        using var scope = NewDisposeScope();
        var tokens = TensorCodec.FromPayload(blocks, expectedType: TensorDType.Int64, what: "blocks");
        if (tokens.dim() != 2 || tokens.shape[1] < 2)
            throw new ArgumentException($"Blocks must be [batch, length + 1] with at least 2 tokens per row; got {blocks.ShapeText}.");
        using var batch = new Batch(tokens.clone(), zeros(tokens.shape[0], ScalarType.Int64));
        return TensorCodec.ToPayload(expert.TargetLogProbs(batch));
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        if (run is not { State: TrainingState.Running } active || training is null) return;
        try
        {
            using (var batch = active.Sampler.Next(active.Request.BatchSize))
            {
                var metrics = active.Trainer.Step(batch);
                training.Step++;
                (active.Step, active.Loss, active.TokensPerSecond) = (metrics.Step, metrics.Loss, metrics.TokensPerSecond);
            }
            var finished = active.Step >= active.Request.Steps;
            if (finished || active.Step % active.Request.CheckpointEvery == 0) await CommitAsync(active, cancellationToken);
            if (!finished) return;
            active.State = TrainingState.Completed;
            active.Timer?.Dispose();
            logger.LogInformation("Domain expert {Model}/{Domain} finished {Steps} steps, version {Version}", model, domain, active.Step, committed);
        }
        catch (Exception e)
        {
            active.State = TrainingState.Failed;
            active.Error = e.Message;
            active.Timer?.Dispose();
            logger.LogError(e, "Domain expert {Model}/{Domain} failed at step {Step}", model, domain, active.Step);
        }
    }

    private async Task CommitAsync(BranchRun active, CancellationToken cancellationToken)
    {
        var version = committed + 1;
        await using var writer = await store.BeginCheckpointAsync(storeName, version, cancellationToken);
        await writer.PutAsync(WeightsBlob, ExpertWeightsFile.Write(DomainExpertWeights.StoredState(training!.Model, active.Mode)), cancellationToken: cancellationToken);
        await writer.CommitAsync(new CheckpointCommit(training.Step, JsonDocument.Parse(training.Model.Config.ToJson()).RootElement)
        {
            ParentVersion = committed > 0 ? committed : null,
            Metadata = new Dictionary<string, string>
            {
                [SharedVersionKey] = active.Request.SharedVersion.ToString(CultureInfo.InvariantCulture),
                [ModeKey] = active.Mode.ToString(),
            },
        }, cancellationToken);
        committed = version;
    }

    private async Task<DomainExpert> ScoringExpertAsync(int version)
    {
        if (scoring is { } cached && cached.Version == version) return cached.Expert;
        var expert = await LoadCommittedAsync(domain, version, shared: null, asNew: false);
        scoring?.Expert.Dispose();
        scoring = (version, expert);
        return expert;
    }

    /// <summary>
    /// Committed version <paramref name="version"/> of <paramref name="expertDomain"/>'s expert; <paramref name="asNew"/>: as
    /// this grain's new expert starting from it (an added expert's parent: this domain's name, step 0).
    /// </summary>
    private async Task<DomainExpert> LoadCommittedAsync(string expertDomain, int version, MoeLanguageModel? shared, bool asNew)
    {
        if (version < 1)
            throw new ArgumentException($"Domain expert '{expertDomain}' of '{model}' has no version {version}; versions start at 1.");
        var source = DomainExpertNames.StoreName(model, expertDomain);
        var manifest = await store.ReadManifestAsync(source, version);
        var sharedVersion = int.Parse(manifest.Metadata[SharedVersionKey], CultureInfo.InvariantCulture);
        var mode = Enum.Parse<BranchMode>(manifest.Metadata[ModeKey]);
        var weights = await store.ReadBlobAsync(source, version, WeightsBlob);
        var (expertName, step) = asNew ? (domain, 0) : (expertDomain, (int)manifest.Step);
        if (shared is not null) return DomainMixtureFolder.FromWeights(expertName, shared, weights, mode, step);
        using var own = await SharedModels.ReadAsync(store, model, sharedVersion);
        return DomainMixtureFolder.FromWeights(expertName, own, weights, mode, step);
    }

    private int SharedExpertIndex(ModelConfig config, DomainCorpus corpus, string dataset)
    {
        var index = config.Gate == GateKind.Dense ? 0 : corpus.DomainId(domain);
        if (config.Gate == GateKind.Domain && index >= config.Experts)
            throw new ArgumentException($"Domain '{domain}' is domain {index} of dataset '{dataset}', but model '{model}' has {config.Experts} domain experts; add it as a new expert instead.");
        return index;
    }

    private static void Validate(DomainExpertTrainingRequest request)
    {
        if (request.Steps <= 0) throw new ArgumentException($"Steps must be positive (got {request.Steps}).");
        if (request.BatchSize <= 0) throw new ArgumentException($"Batch size must be positive (got {request.BatchSize}).");
        if (!(request.LearningRate > 0)) throw new ArgumentException($"Learning rate must be positive (got {request.LearningRate}).");
        if (request.CheckpointEvery <= 0) throw new ArgumentException($"CheckpointEvery must be positive (got {request.CheckpointEvery}).");
        if (request.SharedVersion < 1) throw new ArgumentException($"The shared version must be a committed version (≥ 1); got {request.SharedVersion}.");
    }

    private DomainExpertStatus Status() => run is null
        ? new DomainExpertStatus(domain, TrainingState.Idle, 0, 0, 0, 0, committed, silo.SiloAddress.ToString())
        : new DomainExpertStatus(domain, run.State, run.Step, run.Request.Steps, run.Loss, run.TokensPerSecond, committed, silo.SiloAddress.ToString(), run.Error);
}
