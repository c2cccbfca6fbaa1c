using System.Diagnostics;
using Microsoft.Extensions.Logging;
using MoeGrains.Abstractions.Training;
using MoeGrains.Diagnostics;
using MoeGrains.Grains.Experts;
using MoeGrains.Grains.Datasets;
using MoeGrains.Model;
using MoeGrains.Model.Data;
using MoeGrains.Model.Training;
using MoeGrains.Storage;

namespace MoeGrains.Grains.Routers;

public sealed partial class RouterGrain
{
    /// <inheritdoc/>
    public async Task<TrainingStatus> StartTrainingAsync(TrainingRequest request)
    {
        RequireModel();
        if (run is not null && state.State.RunState == TrainingState.Running)
            throw new InvalidOperationException($"Model '{Name}' is already training (step {state.State.Step}); cancel that run first.");
        ValidateRequest(request);
        Limits.CheckBatchSize(request.BatchSize);
        var previousRun = run;
        var previous = (state.State.Run, state.State.RunStartStep, state.State.RunState, state.State.RunError, state.State.RunLosses,
            state.State.RunCount, state.State.RunRouting, PastRuns: state.State.PastRuns.Count);
        RouterHistory.ArchiveCurrentRun(state.State);
        state.State.RunCount = Math.Max(state.State.RunCount, state.State.PastRuns.Count) + 1;
        state.State.RunRouting = [];
        state.State.Run = request;
        state.State.RunStartStep = state.State.Step;
        state.State.RunState = TrainingState.Running;
        state.State.RunError = null;
        state.State.RunLosses = [];
        try
        {
            await BeginRunAsync(request, resume: false);
        }
        catch
        {
            // A run that could not start (unknown dataset, too many domains) leaves the previous run's record as it was.
            (state.State.Run, state.State.RunStartStep, state.State.RunState, state.State.RunError, state.State.RunLosses,
                state.State.RunCount, state.State.RunRouting, _) = previous;
            if (state.State.PastRuns.Count > previous.PastRuns) state.State.PastRuns.RemoveRange(previous.PastRuns, state.State.PastRuns.Count - previous.PastRuns);
            run?.Timer?.Dispose();
            run = previousRun;
            throw;
        }
        await state.WriteStateAsync();
        return Status();
    }

    /// <inheritdoc/>
    public Task<TrainingStatus> GetTrainingStatusAsync() => Task.FromResult(Status());

    /// <inheritdoc/>
    public Task<TrainingHistory> GetTrainingHistoryAsync()
    {
        var current = RequireModel();
        var runs = state.State.PastRuns.Select(RouterHistory.ToWire).ToList();
        if (state.State.Run is not null)
            runs.Add(RouterHistory.CurrentRun(state.State, run?.Losses ?? state.State.RunLosses, run?.Routing ?? state.State.RunRouting));
        var experts = current.Gate == GateKind.Dense ? 0 : current.Experts;
        return Task.FromResult(new TrainingHistory(Name, StepMetricsRecording.MoeBlocks(current), experts, runs));
    }

    /// <inheritdoc/>
    public Task CancelTrainingAsync()
    {
        if (run is not null) run.CancelRequested = true;
        return Task.CompletedTask;
    }

    private static void ValidateRequest(TrainingRequest request)
    {
        if (request.Steps <= 0) throw new ArgumentException($"Steps must be positive (got {request.Steps}).");
        if (request.BatchSize <= 0) throw new ArgumentException($"Batch size must be positive (got {request.BatchSize}).");
        if (!(request.LearningRate > 0)) throw new ArgumentException($"Learning rate must be positive (got {request.LearningRate}).");
        if (request.CheckpointEvery <= 0) throw new ArgumentException($"CheckpointEvery must be positive (got {request.CheckpointEvery}).");
    }

    private async Task BeginRunAsync(TrainingRequest request, bool resume)
    {
        var current = RequireModel();
        var corpus = await DatasetDownloads.OpenAsync(store, request.Dataset);
        var train = TokenizedSplit.Create(corpus, TokenizerFactory.Create(current.Tokenizer), CorpusSplit.Train).ForModel(current);

        run = new ActiveRun(request, train, current.ContextLength);
        if (resume)
        {
            run.Losses.AddRange(state.State.RunLosses);
            run.Routing.AddRange(state.State.RunRouting);
        }
        shard?.Dispose();
        shard = null;
        if (resume) run.RollbackDue = true;
        else
        {
            await RouterAsync();
            run.RewindTo(0);
        }
        run.Timer = this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.Zero,
            Period = TimeSpan.FromMilliseconds(1),
            Interleave = false,
            KeepAlive = true,
        });
    }

    /// <summary>One timer turn: one training step, or a due checkpoint, or finishing the run.</summary>
    private async Task TickAsync(CancellationToken cancellationToken)
    {
        if (run is null || state.State.RunState != TrainingState.Running) return;
        if (DateTime.UtcNow < run.RetryAfter) return;
        var done = state.State.Step - state.State.RunStartStep;
        try
        {
            if (run.RollbackDue)
            {
                await RollbackAsync();
                StorageAnswered();
                return;
            }
            if (run.CheckpointDue)
            {
                await CheckpointAsync();
                StorageAnswered();
                return;
            }
            if (run.CancelRequested)
            {
                await FinishAsync(TrainingState.Cancelled, null);
                return;
            }
            if (done >= run.Request.Steps)
            {
                await FinishAsync(TrainingState.Completed, null);
                return;
            }
            await StepAsync(done);
            run.ConsecutiveFailures = 0;
        }
        catch (Exception e) when (IsStorageOutage(e))
        {
            await OnStorageOutageAsync(e);
        }
        catch (Exception e) when (IsTransient(e))
        {
            run.LastError = e.Message;
            run.ConsecutiveFailures++;
            run.Restarts++;
            if (run.ConsecutiveFailures > MaxConsecutiveFailures)
            {
                await FinishAsync(TrainingState.Failed, $"{e.Message} (gave up after {MaxConsecutiveFailures} attempts)");
                return;
            }
            var backoff = TimeSpan.FromMilliseconds(200 * Math.Pow(2, run.ConsecutiveFailures - 1));
            logger.LogWarning("Model {Model} step {Step}: {Error}. Rolling back to the last committed checkpoint; next attempt in {Backoff} ms.",
                Name, state.State.Step + 1, e.Message, backoff.TotalMilliseconds);
            run.RetryAfter = DateTime.UtcNow + backoff;
            run.RollbackDue = true;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Model {Model} training failed at step {Step}", Name, state.State.Step + 1);
            await FinishAsync(TrainingState.Failed, e.Message);
        }
    }

    /// <summary>
    /// The checkpoint store is unreachable (directly, or through an expert loading from it). During an outage a conflict on the
    /// version being written is part of it too: the failed attempt's writer claim is held until its lease expires.
    /// </summary>
    private bool IsStorageOutage(Exception e) =>
        e is StorageOperationException or ExpertCheckpointException { Transient: true }
        || (e is CheckpointConflictException && run?.StorageOutageSince is not null);

    /// <summary>
    /// Waits out a storage outage: retries with back-off (0.2 s doubling to <see cref="MaxStorageBackoff"/>) for up to
    /// <see cref="MaxStorageOutage"/>, reporting it in the status. A failed checkpoint is retried as it is — the weights in memory
    /// are intact and the previous version stays committed — so no step is lost; anything else rolls back when storage returns.
    /// </summary>
    private async Task OnStorageOutageAsync(Exception e)
    {
        var now = DateTime.UtcNow;
        var since = run!.StorageOutageSince ??= now;
        run.StorageFailures++;
        run.LastError = e.Message;
        if (now - since > MaxStorageOutage)
        {
            await FinishAsync(TrainingState.Failed, $"The checkpoint store has been unavailable for {(now - since).TotalMinutes:F0} min: {e.Message}");
            return;
        }
        if (e is CheckpointConflictException && await CommittedBeyondAsync(state.State.Version))
        {
            // The attempt that "failed" did commit (its answer was lost): take that version as the state to continue from.
            run.CheckpointDue = false;
            run.RollbackDue = true;
        }
        else if (!run.CheckpointDue)
        {
            run.RollbackDue = true;
        }
        var backoff = TimeSpan.FromMilliseconds(Math.Min(MaxStorageBackoff.TotalMilliseconds, 200 * Math.Pow(2, Math.Min(run.StorageFailures, 16) - 1)));
        run.RetryAfter = now + backoff;
        logger.LogWarning("Model {Model}: checkpoint store unavailable for {Seconds:F1} s ({Error}); {Action} in {Backoff} ms.",
            Name, (now - since).TotalSeconds, e.Message, run.CheckpointDue ? "retrying the checkpoint" : "rolling back to the last checkpoint", backoff.TotalMilliseconds);
    }

    private async Task<bool> CommittedBeyondAsync(int version)
    {
        try
        {
            return await store.LatestVersionAsync(Name) > version;
        }
        catch (CheckpointStoreException)
        {
            return false;
        }
    }

    /// <summary>A storage operation succeeded: an outage, if there was one, is over.</summary>
    private void StorageAnswered()
    {
        if (run?.StorageOutageSince is not { } since) return;
        logger.LogInformation("Model {Model}: the checkpoint store answers again after {Seconds:F1} s; training resumes.", Name, (DateTime.UtcNow - since).TotalSeconds);
        run.StorageOutageSince = null;
        run.StorageFailures = 0;
    }

    /// <summary>Failures that a rollback to the last checkpoint (after a back-off) can cure: lost experts, lost silos, storage outages.</summary>
    private static bool IsTransient(Exception e) =>
        e is ExpertCallException or ExpertStateLostException or StorageOperationException or ExpertCheckpointException { Transient: true }
            or TimeoutException or OrleansException;

    private async Task StepAsync(long done)
    {
        var router = await RouterAsync();
        var experts = Executor();
        experts.Step = state.State.Step + 1;
        using var batch = run!.Sampler.Next(run.Request.BatchSize);
        var metrics = await router.TrainStepAsync(batch, experts, (int)done);
        state.State.Step++;
        run.Losses.Add(metrics.Loss);
        run.TokensPerSecond = metrics.TokensPerSecond;
        var runSteps = state.State.Step - state.State.RunStartStep;
        StepMetricsRecording.Record(metrics, Name, router.Config);
        if (RouterHistory.IsSampled(runSteps, run.Request.Steps)) run.Routing.Add(RouterHistory.Sample(runSteps, metrics));
        if (runSteps % run.Request.CheckpointEvery == 0 || runSteps == run.Request.Steps) run.CheckpointDue = true;
    }

    private async Task CheckpointAsync()
    {
        var version = state.State.Version + 1;
        var started = Stopwatch.GetTimestamp();
        await versions.WriteAsync(version, state.State.Step, await RouterAsync(), ExpertKeys());
        MoeMetrics.RecordCheckpointCommit(Name, Stopwatch.GetElapsedTime(started));
        state.State.Version = version;
        var runSteps = state.State.Step - state.State.RunStartStep;
        state.State.RunLosses = [.. run!.Losses.Take((int)runSteps)];
        state.State.RunRouting = [.. run.Routing.Where(sample => sample.Step <= runSteps)];
        await state.WriteStateAsync();
        run.CheckpointDue = false;
        logger.LogInformation("Model {Model}: committed checkpoint v{Version} at step {Step}", Name, version, state.State.Step);
    }

    /// <summary>
    /// Reloads router and experts from the latest committed version and rewinds the data to its step. Until it has
    /// completed, <see cref="ActiveRun.RollbackDue"/> stays set and no step runs, so a half-done rollback is retried.
    /// </summary>
    private async Task RollbackAsync()
    {
        var latest = (int)(await store.LatestVersionAsync(Name) ?? 0);
        var manifest = await store.ReadManifestAsync(Name, latest);
        shard?.Dispose();
        shard = null;
        state.State.Version = latest;
        state.State.Step = manifest.Step;
        await RouterAsync();
        await Task.WhenAll(ExpertKeys().Select(key => Expert(key).LoadAsync(latest)));
        run!.RewindTo(state.State.Step - state.State.RunStartStep);
        run.CheckpointDue = false;
        run.RollbackDue = false;
    }

    private async Task FinishAsync(TrainingState final, string? error)
    {
        state.State.RunState = final;
        state.State.RunError = error;
        run?.Timer?.Dispose();
        await state.WriteStateAsync();
        logger.LogInformation("Model {Model}: training {State} at step {Step}{Error}", Name, final, state.State.Step, error is null ? "" : $": {error}");
    }

    private TrainingStatus Status()
    {
        var losses = run?.Losses ?? [];
        return new TrainingStatus(state.State.RunState, state.State.Step - state.State.RunStartStep, state.State.Run?.Steps ?? 0,
            losses.Count > 0 ? losses[^1] : double.NaN, run?.TokensPerSecond ?? 0, state.State.Version, [.. losses], state.State.RunError,
            run?.Restarts ?? 0, run?.StorageOutageSince is not null, run?.LastError);
    }
}
