using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MoeGrains.Abstractions.Domains;
using MoeGrains.Abstractions.Tensors;
using MoeGrains.Abstractions.Training;
using MoeGrains.Diagnostics;
using MoeGrains.Grains.Datasets;
using MoeGrains.Grains.Placement;
using MoeGrains.Grains.Tensors;
using MoeGrains.Model;
using MoeGrains.Model.Data;
using MoeGrains.Model.Domains;
using MoeGrains.Model.Training;
using MoeGrains.Storage;
using MoeGrains.Storage.Layout;
using TorchSharp;
using static TorchSharp.torch;

namespace MoeGrains.Grains.Domains;

/// <summary>
/// One domain's expert on an expert silo (same placement as <see cref="Experts.ExpertGrain"/>): a thin adapter over
/// <see cref="BranchTraining"/> and <see cref="DomainExpert"/>. Training advances one step per grain-timer turn and commits
/// the expert's stored weights (FFNs, or all for BTM) and its optimizer state to the store every N steps and at the end;
/// scoring loads the committed version a request pins.
/// </summary>
/// <remarks>
/// The run itself (request, last committed version and step) is in grain storage. An activation that finds a run still
/// training — its silo died, it was migrated or deactivated — resumes it from the last committed checkpoint: weights and
/// AdamW state from the store, the data position by replaying the seeded batch draws. After a crash the steps since that
/// checkpoint are redone (at most one checkpoint interval); a run that moves (drain) or whose silo stops gracefully commits
/// its current step first and redoes nothing. A checkpoint that fails because the store is unreachable is written again from
/// the weights in memory after a back-off (the run waits at that step, its status naming the error), so an outage loses no
/// step either. Either way it ends with exactly the weights of an uninterrupted run. A reminder
/// re-activates a training expert nobody calls; the mixture grain's polling does the same sooner.
/// </remarks>
[ExpertSlotsFilter, LeastLoadedDevicePlacement]
public sealed class DomainExpertGrain(
    [PersistentState("domain-expert", "moe")] IPersistentState<DomainExpertRunState> state,
    ICheckpointStore store,
    DeviceAllocator devices,
    ILocalSiloDetails silo,
    IOptions<DomainExpertOptions> options,
    ILogger<DomainExpertGrain> logger)
    : Grain, IDomainExpertGrain, IRemindable
{
    internal static readonly string WeightsBlob = CheckpointLayout.Domain("weights.bin");
    internal static readonly string OptimizerBlob = CheckpointLayout.Domain("optimizer.bin");
    private const string SharedVersionKey = "sharedVersion";
    private const string ModeKey = "mode";
    private const string ReminderName = "domain-expert-run";

    private readonly DomainExpertOptions settings = options.Value;
    private string model = "";
    private string domain = "";
    private string storeName = "";
    private int committed;
    private DeviceAssignment device = null!;
    private BranchRun? run;
    private IGrainTimer? timer;
    private int failures;
    private string? lastError;
    private DateTime retryAfter = DateTime.MinValue;
    private (int Version, DomainExpert Expert)? scoring;

    private DomainExpertRunState Run => state.State;

    /// <inheritdoc/>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (model, domain) = DomainExpertNames.ParseGrainKey(this.GetPrimaryKeyString());
        storeName = DomainExpertNames.StoreName(model, domain);
        device = await devices.AcquireAsync(this.GetGrainId());
        committed = (int)(await store.LatestVersionAsync(storeName, cancellationToken) ?? 0);
        logger.LogInformation("Domain expert {Model}/{Domain} activated on {Silo} ({Device}), version {Version}", model, domain, silo.SiloAddress, device.Device, committed);
        if (Run is { State: TrainingState.Running, Request: not null })
        {
            // run stays null: the first timer turn rebuilds it from the last committed checkpoint.
            logger.LogInformation("Domain expert {Model}/{Domain}: its run was training (committed step {Step}, version {Version}); resuming",
                model, domain, Run.Step, Run.Version);
            StartDriving();
        }
    }

    /// <inheritdoc/>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (reason.ReasonCode is DeactivationReasonCode.Migrating or DeactivationReasonCode.ShuttingDown) await CheckpointBeforeLeavingAsync(reason);
        run?.Dispose();
        scoring?.Expert.Dispose();
        await devices.ReleaseAsync(this.GetGrainId());
    }

    /// <inheritdoc/>
    public async Task<DomainExpertStatus> StartTrainingAsync(DomainExpertTrainingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        // A coordinator that re-sends the request it started (after its own restart) gets the run it started.
        if (request == Run.Request && Run.State is TrainingState.Running or TrainingState.Completed) return Status();
        if (Run.State == TrainingState.Running)
            throw new InvalidOperationException($"Domain expert '{domain}' of '{model}' is already training (step {run?.Step ?? Run.Step} of {Run.Request!.Steps}).");
        Validate(request);
        var fresh = await BuildRunAsync(request, fromVersion: null);
        var previous = (Run.Request, Run.State, Run.StartVersion, Run.Version, Run.Step, Run.Loss, Run.Resumes, Run.Error);
        (Run.Request, Run.State, Run.StartVersion, Run.Version, Run.Step, Run.Loss, Run.Resumes, Run.Error) =
            (request, TrainingState.Running, committed, 0, 0, 0, 0, null);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            (Run.Request, Run.State, Run.StartVersion, Run.Version, Run.Step, Run.Loss, Run.Resumes, Run.Error) = previous;
            fresh.Dispose();
            throw;
        }
        run?.Dispose();
        run = fresh;
        (failures, lastError, retryAfter) = (0, null, DateTime.MinValue);
        StartDriving();
        await KeepReminderAsync();
        logger.LogInformation("Domain expert {Model}/{Domain} branch-training {Steps} steps ({Mode}) from shared version {Shared}",
            model, domain, request.Steps, fresh.Mode, request.SharedVersion);
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

    /// <inheritdoc/>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName) return;
        if (Run.State == TrainingState.Running) StartDriving(); // the activation itself resumed the run
        else await DropReminderAsync();
    }

    /// <summary>One timer turn: rebuild the run from its last checkpoint when due, else one step (and a checkpoint when due).</summary>
    private async Task TickAsync(CancellationToken cancellationToken)
    {
        if (Run is not { State: TrainingState.Running, Request: { } request }) return;
        if (DateTime.UtcNow < retryAfter) return;
        try
        {
            if (run is null)
            {
                await ResumeAsync(request);
                return;
            }
            var active = run;
            if (active.Step < request.Steps && !CheckpointOwed(active, request))
            {
                using var batch = active.Sampler.Next(request.BatchSize);
                var metrics = active.Trainer.Step(batch);
                active.Expert.Step++;
                (active.Step, active.Loss, active.TokensPerSecond) = (metrics.Step, metrics.Loss, metrics.TokensPerSecond);
                MoeMetrics.RecordTrainingStep(storeName, metrics.Tokens, metrics.Seconds, metrics.Loss);
            }
            var finished = active.Step >= request.Steps;
            if (CheckpointOwed(active, request)) await CheckpointAsync(active);
            (failures, lastError) = (0, null);
            if (finished) await FinishAsync(TrainingState.Completed, null);
        }
        catch (Exception e) when (IsTransient(e))
        {
            failures++;
            lastError = e.Message;
            if (failures > settings.MaxConsecutiveFailures)
            {
                logger.LogError(e, "Domain expert {Model}/{Domain} gave up after {Failures} failed attempts", model, domain, failures - 1);
                await FinishAsync(TrainingState.Failed, $"{e.Message} (gave up after {failures - 1} attempts)");
                return;
            }
            var backoff = settings.BackoffAfter(failures);
            retryAfter = DateTime.UtcNow + backoff;
            if (run is { } intact && CheckpointOwed(intact, request) && await CanRetryCheckpointAsync(e))
            {
                logger.LogWarning("Domain expert {Model}/{Domain}: the checkpoint of step {Step} failed ({Error}); retrying it in {Backoff} ms.",
                    model, domain, intact.Step, e.Message, backoff.TotalMilliseconds);
                return;
            }
            logger.LogWarning("Domain expert {Model}/{Domain} at step {Step}: {Error}. Resuming from the last committed checkpoint in {Backoff} ms.",
                model, domain, run?.Step ?? Run.Step, e.Message, backoff.TotalMilliseconds);
            run?.Dispose();
            run = null;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Domain expert {Model}/{Domain} failed at step {Step}", model, domain, run?.Step ?? Run.Step);
            await FinishAsync(TrainingState.Failed, e.Message);
        }
    }

    /// <summary>
    /// Rebuilds the run from the latest version it committed (read from the store, not from grain state: a checkpoint
    /// committed just before its silo died is newer than the state records), or from its start when it committed none.
    /// </summary>
    private async Task ResumeAsync(DomainExpertTrainingRequest request)
    {
        committed = (int)(await store.LatestVersionAsync(storeName) ?? 0);
        int? from = committed > Run.StartVersion ? committed : null;
        var resumed = await BuildRunAsync(request, from);
        try
        {
            (Run.Version, Run.Step) = (from ?? 0, resumed.Step);
            Run.Resumes++;
            await state.WriteStateAsync();
        }
        catch
        {
            resumed.Dispose();
            throw;
        }
        run = resumed;
        logger.LogInformation("Domain expert {Model}/{Domain} resumed on {Silo} at step {Step} from {Source} (resume {Resumes})",
            model, domain, silo.SiloAddress, resumed.Step, from is { } v ? $"version {v}" : "its start", Run.Resumes);
    }

    /// <summary>
    /// The run of <paramref name="request"/>: from its start (the shared model's expert for the domain, or an added
    /// expert's parent), or from committed version <paramref name="fromVersion"/> of this expert with its optimizer state
    /// and data position.
    /// </summary>
    private async Task<BranchRun> BuildRunAsync(DomainExpertTrainingRequest request, int? fromVersion)
    {
        var corpus = await DatasetDownloads.OpenAsync(store, request.Dataset);
        if (!corpus.Domains.Contains(domain))
            throw new ArgumentException($"Dataset '{request.Dataset}' has no domain '{domain}'. Domains: {string.Join(", ", corpus.Domains)}.");
        using var shared = await SharedModels.ReadAsync(store, model, request.SharedVersion);
        var data = TokenizedSplit.Create(corpus, TokenizerFactory.Create(shared.Config.Tokenizer), CorpusSplit.Train).Stream(domain);
        var mode = request.AllParameters ? BranchMode.AllParameters : BranchMode.FeedForward;
        byte[]? optimizerState = null;
        DomainExpert expert;
        if (fromVersion is { } version)
        {
            expert = await LoadCommittedAsync(domain, version, shared, asNew: false);
            optimizerState = await store.ReadBlobAsync(storeName, version, OptimizerBlob);
        }
        else if (request.InitFrom is { } parent) expert = await LoadCommittedAsync(parent, request.InitFromVersion, shared, asNew: true);
        else expert = new DomainExpert(domain, DomainExpertWeights.Extract(shared, SharedExpertIndex(shared.Config, corpus, request.Dataset)));
        OnDevice(expert); // before the trainer: its optimizer state lives beside the parameters

        Trainer? trainer = null;
        try
        {
            var training = new TrainingOptions(request.Steps, request.BatchSize, request.LearningRate, Seed: request.Seed, Trainable: mode.Trainable());
            trainer = new Trainer(expert.Model, training, logger);
            if (optimizerState is not null) trainer.Resume(expert.Step, optimizerState);
            var sampler = BranchTraining.SamplerAt(data, shared.Config.ContextLength, request.Seed, request.BatchSize, expert.Step);
            return new BranchRun(request, mode, expert, trainer, sampler) { Step = expert.Step };
        }
        catch
        {
            trainer?.Dispose();
            expert.Dispose();
            throw;
        }
    }

    /// <summary>Whether <paramref name="active"/> has reached a checkpoint (every N steps, and the end) that is not committed yet.</summary>
    private bool CheckpointOwed(BranchRun active, DomainExpertTrainingRequest request) =>
        Run.Step < active.Step && (active.Step >= request.Steps || active.Step % request.CheckpointEvery == 0);

    /// <summary>
    /// Whether a checkpoint that failed with <paramref name="e"/> can be written again from the weights in memory, which are
    /// intact while the last committed version stays loadable: yes for a storage outage. A conflict means either that a
    /// failed attempt still holds the writer claim (retry once its lease expires) or that it did commit and only the answer
    /// was lost — then the run goes on from that version instead.
    /// </summary>
    private async Task<bool> CanRetryCheckpointAsync(Exception e)
    {
        if (e is not CheckpointConflictException) return e is StorageOperationException or IOException or TimeoutException;
        try
        {
            return (await store.LatestVersionAsync(storeName) ?? 0) <= committed;
        }
        catch (CheckpointStoreException)
        {
            return true;
        }
    }

    private async Task CheckpointAsync(BranchRun active)
    {
        var version = committed + 1;
        await using (var writer = await store.BeginCheckpointAsync(storeName, version))
        {
            await writer.PutAsync(WeightsBlob, ExpertWeightsFile.Write(DomainExpertWeights.StoredState(active.Expert.Model, active.Mode)));
            await writer.PutAsync(OptimizerBlob, active.Trainer.SaveOptimizerState(), isOptimizerState: true);
            await writer.CommitAsync(new CheckpointCommit(active.Step, JsonDocument.Parse(active.Expert.Model.Config.ToJson()).RootElement)
            {
                ParentVersion = committed > 0 ? committed : null,
                Metadata = new Dictionary<string, string>
                {
                    [SharedVersionKey] = active.Request.SharedVersion.ToString(CultureInfo.InvariantCulture),
                    [ModeKey] = active.Mode.ToString(),
                },
            });
        }
        committed = version;
        (Run.Version, Run.Step, Run.Loss) = (version, active.Step, active.Loss);
        await state.WriteStateAsync();
    }

    /// <summary>
    /// A run that moves (a drain) or whose silo stops gracefully commits the steps it has taken since its last checkpoint,
    /// so that its next activation goes on from here instead of redoing them. If that fails, it resumes from the last one.
    /// </summary>
    private async Task CheckpointBeforeLeavingAsync(DeactivationReason reason)
    {
        if (run is not { } active || Run.State != TrainingState.Running || active.Step <= Run.Step) return;
        try
        {
            await CheckpointAsync(active);
            logger.LogInformation("Domain expert {Model}/{Domain} leaves {Silo} ({Reason}): step {Step} committed as version {Version}",
                model, domain, silo.SiloAddress, reason.ReasonCode, active.Step, committed);
        }
        catch (Exception e) when (IsTransient(e))
        {
            logger.LogWarning("Domain expert {Model}/{Domain} leaves {Silo} ({Reason}) without committing step {Step} ({Error}); it resumes from version {Version}",
                model, domain, silo.SiloAddress, reason.ReasonCode, active.Step, e.Message, committed);
        }
    }

    private async Task FinishAsync(TrainingState final, string? error)
    {
        (Run.State, Run.Error) = (final, error);
        timer?.Dispose();
        timer = null;
        if (run is not null) (Run.Step, Run.Loss) = (Math.Max(Run.Step, run.Step), run.Loss);
        run?.Dispose();
        run = null;
        await state.WriteStateAsync();
        await DropReminderAsync();
        if (final == TrainingState.Completed)
            logger.LogInformation("Domain expert {Model}/{Domain} finished {Steps} steps, version {Version}", model, domain, Run.Step, committed);
    }

    private void StartDriving() =>
        timer ??= this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.Zero,
            Period = TimeSpan.FromMilliseconds(1),
            Interleave = false,
            KeepAlive = true,
        });

    /// <summary>The reminder is a safety net (the mixture's polling re-activates a lost expert sooner): failing to set it only warns.</summary>
    private async Task KeepReminderAsync()
    {
        try
        {
            await this.RegisterOrUpdateReminder(ReminderName, settings.ReminderPeriod, settings.ReminderPeriod);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException or InvalidOperationException)
        {
            logger.LogWarning("Domain expert {Model}/{Domain}: could not register its reminder ({Error}); it resumes when next called", model, domain, e.Message);
        }
    }

    private async Task DropReminderAsync()
    {
        try
        {
            if (await this.GetReminder(ReminderName) is { } reminder) await this.UnregisterReminder(reminder);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException or InvalidOperationException)
        {
            logger.LogWarning("Domain expert {Model}/{Domain}: could not remove its reminder ({Error})", model, domain, e.Message);
        }
    }

    /// <summary>Moves the expert to the device this activation holds (its weights are read and written on the CPU).</summary>
    private DomainExpert OnDevice(DomainExpert expert)
    {
        var target = DeviceSelector.Parse(device.Device);
        if (target.type != DeviceType.CPU) expert.Model.to(target.type, target.index);
        return expert;
    }

    /// <summary>Failures a retry after a back-off can cure: storage outages, lost silos, timeouts.</summary>
    private static bool IsTransient(Exception e) =>
        e is StorageOperationException or CheckpointConflictException or TimeoutException or OrleansException or IOException;

    private async Task<DomainExpert> ScoringExpertAsync(int version)
    {
        if (scoring is { } cached && cached.Version == version) return cached.Expert;
        var expert = OnDevice(await LoadCommittedAsync(domain, version, shared: null, asNew: false));
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
        if (config.Gate == GateKind.Dense) return 0;
        try
        {
            return config.ExpertOf(domain, corpus.DomainId(domain));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Model '{model}' cannot branch an expert for domain '{domain}' of dataset '{dataset}': {e.Message} Add it as a new expert instead.", e);
        }
    }

    private static void Validate(DomainExpertTrainingRequest request)
    {
        if (request.Steps <= 0) throw new ArgumentException($"Steps must be positive (got {request.Steps}).");
        if (request.BatchSize <= 0) throw new ArgumentException($"Batch size must be positive (got {request.BatchSize}).");
        if (!(request.LearningRate > 0)) throw new ArgumentException($"Learning rate must be positive (got {request.LearningRate}).");
        if (request.CheckpointEvery <= 0) throw new ArgumentException($"CheckpointEvery must be positive (got {request.CheckpointEvery}).");
        if (request.SharedVersion < 1) throw new ArgumentException($"The shared version must be a committed version (≥ 1); got {request.SharedVersion}.");
    }

    private DomainExpertStatus Status() => Run.Request is not { } request
        ? new DomainExpertStatus(domain, TrainingState.Idle, 0, 0, 0, 0, committed, silo.SiloAddress.ToString())
        : new DomainExpertStatus(domain, Run.State, run?.Step ?? Run.Step, request.Steps, run?.Loss ?? Run.Loss, run?.TokensPerSecond ?? 0, committed,
            silo.SiloAddress.ToString(), Run.State == TrainingState.Failed ? Run.Error : lastError, Run.Resumes);
}
