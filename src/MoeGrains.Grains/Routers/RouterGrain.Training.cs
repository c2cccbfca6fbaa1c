using Microsoft.Extensions.Logging;
using MoeGrains.Abstractions.Training;
using MoeGrains.Grains.Experts;
using MoeGrains.Grains.Datasets;
using MoeGrains.Model;
using MoeGrains.Model.Data;
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
        var (previousRun, previous) = (run, (state.State.Run, state.State.RunStartStep, state.State.RunState, state.State.RunError, state.State.RunLosses));
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
            // A request refused here (unknown dataset, too many domains) must leave the model as it was: otherwise it would report
            // a run in progress that never steps, and refuse every later run as "already training".
            run?.Timer?.Dispose();
            run = previousRun;
            (state.State.Run, state.State.RunStartStep, state.State.RunState, state.State.RunError, state.State.RunLosses) = previous;
            throw;
        }
        await state.WriteStateAsync();
        return Status();
    }

    /// <inheritdoc/>
    public Task<TrainingStatus> GetTrainingStatusAsync() => Task.FromResult(Status());

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
        var train = TokenizedSplit.Create(corpus, TokenizerFactory.Create(current.Tokenizer), CorpusSplit.Train);
        if (current.Gate == GateKind.Domain && corpus.Domains.Count > current.Experts)
            throw new ArgumentException($"Dataset '{request.Dataset}' has {corpus.Domains.Count} domains but the model has {current.Experts} domain experts.");

        run = new ActiveRun(request, train, current.ContextLength);
        if (resume) run.Losses.AddRange(state.State.RunLosses);
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
                return;
            }
            if (run.CheckpointDue)
            {
                await CheckpointAsync();
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
        catch (Exception e) when (IsTransient(e))
        {
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
        if (runSteps % run.Request.CheckpointEvery == 0 || runSteps == run.Request.Steps) run.CheckpointDue = true;
    }

    private async Task CheckpointAsync()
    {
        var version = state.State.Version + 1;
        await versions.WriteAsync(version, state.State.Step, await RouterAsync(), ExpertKeys());
        state.State.Version = version;
        state.State.RunLosses = [.. run!.Losses.Take((int)(state.State.Step - state.State.RunStartStep))];
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
            run?.Restarts ?? 0);
    }
}
