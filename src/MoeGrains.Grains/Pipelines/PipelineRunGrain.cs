using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MoeGrains.Abstractions.Pipelines;

namespace MoeGrains.Grains.Pipelines;

/// <summary>
/// Carries one pipeline run to its end. The run's state lives in grain storage; while active, a grain timer advances
/// the current stage in short turns; a reminder re-activates the grain after its silo or the whole cluster restarted,
/// and activation picks the run up where its storage says it is. Stages are idempotent, so a turn repeated after a
/// crash continues from the stage's last committed checkpoint.
/// </summary>
internal sealed class PipelineRunGrain(
    [PersistentState("pipeline-run", "moe")] IPersistentState<PipelineRunRecord> state,
    StageExecutorCatalog executors,
    IOptions<PipelineOptions> options,
    ILogger<PipelineRunGrain> logger) : Grain, IPipelineRunGrain, IRemindable
{
    private const string ReminderName = "pipeline-run";
    private static readonly TimeSpan ProgressWriteInterval = TimeSpan.FromSeconds(5);
    private readonly PipelineOptions settings = options.Value;
    private IGrainTimer? timer;
    private DateTimeOffset lastWrite;

    private string RunId => this.GetPrimaryKeyString();

    private PipelineRunRecord Run => state.State;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Run.Definition is not null && Run.State == PipelineRunState.Running)
        {
            logger.LogInformation("Pipeline run {Run} activated at stage {Stage}: continuing", RunId, Run.CurrentStage);
            StartDriving();
        }
        return Task.CompletedTask;
    }

    public async Task<PipelineRunStatus> StartAsync(PipelineDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (Run.Definition is not null) throw new ArgumentException($"A pipeline run with id '{RunId}' already exists.");
        if (definition.Stages.Count == 0) throw new ArgumentException($"Pipeline '{definition.Name}' has no stages.");
        foreach (var stage in definition.Stages) executors.Get(stage.Kind);
        if (!await GrainFactory.GetGrain<IPipelineRunRegistryGrain>(IPipelineRunRegistryGrain.Key).TryAddAsync(RunId))
            throw new ArgumentException($"A pipeline run with id '{RunId}' already exists.");

        Run.Definition = definition;
        Run.State = PipelineRunState.Running;
        Run.CurrentStage = 0;
        Run.Stages = [.. definition.Stages.Select(_ => new StageRecord())];
        Run.CreatedAt = DateTimeOffset.UtcNow;
        await state.WriteStateAsync();
        await this.RegisterOrUpdateReminder(ReminderName, settings.ReminderPeriod, settings.ReminderPeriod);
        logger.LogInformation("Pipeline run {Run} ({Pipeline}) started: {Stages}", RunId, definition.Name,
            string.Join(" → ", definition.Stages.Select(stage => stage.Kind)));
        StartDriving();
        return Status();
    }

    public Task<PipelineRunStatus> GetStatusAsync()
    {
        RequireRun();
        return Task.FromResult(Status());
    }

    public async Task<PipelineRunStatus> CancelAsync()
    {
        RequireRun();
        if (Run.State != PipelineRunState.Running) return Status();
        Run.State = PipelineRunState.Cancelled;
        await executors.Get(CurrentStage().Kind).CancelAsync(Context());
        await state.WriteStateAsync();
        await StopDrivingAsync();
        logger.LogInformation("Pipeline run {Run} cancelled at stage {Stage}", RunId, CurrentStage().Kind);
        return Status();
    }

    public async Task<PipelineRunStatus> ResumeAsync()
    {
        RequireRun();
        if (Run.State is PipelineRunState.Running or PipelineRunState.Completed) return Status();
        var record = Run.Stages[Run.CurrentStage];
        record.State = StageState.Running;
        record.Attempts = 1;
        record.NextAttemptAt = default;
        Run.State = PipelineRunState.Running;
        Run.Error = null;
        await state.WriteStateAsync();
        await this.RegisterOrUpdateReminder(ReminderName, settings.ReminderPeriod, settings.ReminderPeriod);
        logger.LogInformation("Pipeline run {Run} resumed at stage {Stage}", RunId, CurrentStage().Kind);
        StartDriving();
        return Status();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName) return;
        if (Run.Definition is null || Run.State != PipelineRunState.Running) await StopDrivingAsync();
        else StartDriving();
    }

    private void StartDriving() =>
        timer ??= this.RegisterGrainTimer(AdvanceAsync, new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.Zero,
            Period = settings.PollInterval,
            Interleave = false,
            KeepAlive = true,
        });

    private async Task StopDrivingAsync()
    {
        timer?.Dispose();
        timer = null;
        if (await this.GetReminder(ReminderName) is { } reminder) await this.UnregisterReminder(reminder);
    }

    /// <summary>One turn of the current stage; moves on when it finishes, retries or stops when it fails.</summary>
    private async Task AdvanceAsync(CancellationToken cancellationToken)
    {
        if (Run.Definition is null || Run.State != PipelineRunState.Running) return;
        if (Run.CurrentStage >= Run.Definition.Stages.Count)
        {
            await FinishAsync();
            return;
        }
        var stage = CurrentStage();
        var record = Run.Stages[Run.CurrentStage];
        var now = DateTimeOffset.UtcNow;
        if (now < record.NextAttemptAt) return;
        if (record.State == StageState.Pending)
        {
            record.State = StageState.Running;
            record.StartedAt = now;
            record.Attempts = 1;
            await state.WriteStateAsync();
            logger.LogInformation("Pipeline run {Run}: stage {Index} {Stage} (line {Line}) started", RunId, Run.CurrentStage, stage.Kind, stage.Line);
        }

        try
        {
            var markers = new Dictionary<string, string>(record.Markers);
            var outcome = await executors.Get(stage.Kind).AdvanceAsync(Context(), cancellationToken);
            if (Run.State != PipelineRunState.Running) return; // cancelled while the turn ran
            // A marker records work the stage has started or finished: it must be stored before the next crash can come.
            var recorded = !MarkersEqual(markers, record.Markers);
            record.Message = outcome.Message;
            record.Experts = [.. outcome.Experts];
            if (record.State == StageState.Retrying) record.State = StageState.Running;
            if (outcome.Done)
            {
                record.State = StageState.Completed;
                record.CompletedAt = DateTimeOffset.UtcNow;
                Run.CurrentStage++;
                await WriteAsync();
                logger.LogInformation("Pipeline run {Run}: stage {Stage} completed: {Message}", RunId, stage.Kind, outcome.Message);
                if (Run.CurrentStage >= Run.Definition.Stages.Count) await FinishAsync();
            }
            else if (recorded || DateTimeOffset.UtcNow - lastWrite > ProgressWriteInterval) await WriteAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await FailTurnAsync(stage, record, e);
        }
    }

    private static bool MarkersEqual(Dictionary<string, string> before, Dictionary<string, string> after) =>
        before.Count == after.Count && before.All(marker => after.TryGetValue(marker.Key, out var value) && value == marker.Value);

    private async Task FailTurnAsync(PipelineStage stage, StageRecord record, Exception e)
    {
        record.Error = e.Message;
        var permanent = e is ArgumentException;
        if (permanent || record.Attempts >= settings.MaxAttempts)
        {
            record.State = StageState.Failed;
            Run.State = PipelineRunState.Failed;
            Run.Error = $"stage '{stage.Kind}' (line {stage.Line}) failed{(permanent ? "" : $" {record.Attempts} times")}: {e.Message}";
            await WriteAsync();
            await StopDrivingAsync();
            logger.LogError(e, "Pipeline run {Run} stopped: {Error}", RunId, Run.Error);
            return;
        }
        var backoff = settings.BackoffAfter(record.Attempts);
        record.Attempts++;
        record.State = StageState.Retrying;
        record.NextAttemptAt = DateTimeOffset.UtcNow + backoff;
        await WriteAsync();
        logger.LogWarning("Pipeline run {Run}: stage {Stage} failed ({Error}); attempt {Attempt} of {Max} in {Backoff}",
            RunId, stage.Kind, e.Message, record.Attempts, settings.MaxAttempts, backoff);
    }

    private async Task FinishAsync()
    {
        Run.State = PipelineRunState.Completed;
        await WriteAsync();
        await StopDrivingAsync();
        logger.LogInformation("Pipeline run {Run} completed", RunId);
    }

    private async Task WriteAsync()
    {
        await state.WriteStateAsync();
        lastWrite = DateTimeOffset.UtcNow;
    }

    private StageContext Context() => new(RunId, Run.Definition!, Math.Min(Run.CurrentStage, Run.Definition!.Stages.Count - 1),
        Run.Stages[Math.Min(Run.CurrentStage, Run.Stages.Count - 1)], Run.Stages, GrainFactory, logger);

    private PipelineStage CurrentStage() => Run.Definition!.Stages[Math.Min(Run.CurrentStage, Run.Definition.Stages.Count - 1)];

    private void RequireRun()
    {
        if (Run.Definition is null) throw new ArgumentException($"Unknown pipeline run '{RunId}'.");
    }

    private PipelineRunStatus Status()
    {
        var definition = Run.Definition!;
        return new PipelineRunStatus(RunId, definition.Name, definition.Model.Name, Run.State, Run.CurrentStage,
            [.. definition.Stages.Select((stage, i) => Run.Stages[i].ToStatus(stage))], Run.Error, Run.CreatedAt);
    }
}
