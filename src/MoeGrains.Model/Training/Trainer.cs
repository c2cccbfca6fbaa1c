using System.Diagnostics;
using MoeGrains.Model.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MoeGrains.Model.Training;

/// <summary>
/// Trains a <see cref="MoeLanguageModel"/> with AdamW, linear warm-up then cosine decay and gradient clipping.
/// Every step runs in a dispose scope, so native memory stays flat however long the run.
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly MoeLanguageModel model;
    private readonly TrainingOptions options;
    private readonly ILogger logger;
    private readonly OptimizerHelper optimizer;
    private readonly LearningRateSchedule schedule;
    private readonly Generator routingGenerator;
    private readonly IReadOnlyList<Parameter> parameters;

    /// <summary>Prepares the optimizer for <paramref name="model"/>.</summary>
    /// <remarks>
    /// Parameters outside <see cref="TrainingOptions.Trainable"/> are frozen on the model itself (requires_grad off), so
    /// backward computes no gradient for them; they take no part in clipping and the optimizer never sees them.
    /// </remarks>
    public Trainer(MoeLanguageModel model, TrainingOptions options, ILogger? logger = null)
    {
        this.model = model;
        this.options = options.Validate();
        this.logger = logger ?? NullLogger.Instance;
        var trainable = TrainableParameterSelection.Apply(model, options.Trainable);
        parameters = [.. trainable.Select(pair => pair.Parameter)];
        optimizer = TrainingMath.CreateOptimizer(trainable, options);
        schedule = TrainingMath.CreateSchedule(options);
        routingGenerator = TrainingMath.CreateRoutingGenerator(options, model.parameters().First().device);
    }

    /// <summary>Steps completed so far.</summary>
    public int CompletedSteps { get; private set; }

    /// <summary>Runs one optimizer step on <paramref name="batch"/>.</summary>
    public StepMetrics Step(Batch batch)
    {
        var stopwatch = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        model.train();
        var learningRate = schedule.At(CompletedSteps);
        TrainingMath.SetLearningRate(optimizer, learningRate);

        TrainingMath.ClearGradients(parameters);
        var device = parameters[0].device;
        var inputs = batch.Inputs().to(device);
        var targets = batch.Targets().to(device);
        var output = model.Forward(inputs, batch.Domains.to(device), TrainingMath.ForStep(routingGenerator, options, CompletedSteps));
        var lmLoss = MoeLanguageModel.LanguageModelLoss(output.Logits, targets);
        var total = TrainingMath.Objective(lmLoss, output.AuxLoss, model.Config);
        total.backward();
        if (options.ClipNorm > 0) nn.utils.clip_grad_norm_(parameters, options.ClipNorm);
        optimizer.step();

        var layers = TrainingMath.LayerMetrics(output.Plans);
        var loss = TrainingMath.CheckedLoss(lmLoss, CompletedSteps + 1);
        CompletedSteps++;
        return new StepMetrics(CompletedSteps, loss, output.AuxLoss.item<float>(), learningRate, inputs.numel(),
            stopwatch.Elapsed.TotalSeconds, layers);
    }

    /// <summary>Runs <see cref="TrainingOptions.Steps"/> steps, drawing batches from <paramref name="nextBatch"/>.</summary>
    /// <param name="nextBatch">Returns the next batch of <see cref="TrainingOptions.BatchSize"/> blocks; the trainer disposes it.</param>
    /// <param name="onStep">Called after every step (progress bars, metrics files).</param>
    /// <param name="cancellationToken">Stops between steps.</param>
    public void Run(Func<Batch> nextBatch, Action<StepMetrics>? onStep = null, CancellationToken cancellationToken = default)
    {
        logger.LogInformation("Training {Gate} model ({Parameters:N0} trainable parameters) for {Steps} steps, batch {Batch}",
            model.Config.Gate, parameters.Sum(p => p.numel()), options.Steps, options.BatchSize);
        while (CompletedSteps < options.Steps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var batch = nextBatch();
            var metrics = Step(batch);
            onStep?.Invoke(metrics);
            if (metrics.Step % options.LogEvery == 0 || metrics.Step == options.Steps)
                logger.LogDebug("step {Step} loss {Loss:F4} aux {Aux:F4} lr {Lr:E2}", metrics.Step, metrics.Loss, metrics.AuxLoss, metrics.LearningRate);
        }
    }

    /// <summary>The AdamW state (per-parameter step and moments, group options), serialised exactly, for resuming the run later.</summary>
    public byte[] SaveOptimizerState() => TrainingMath.SaveOptimizerState(optimizer);

    /// <summary>
    /// Continues a run from a checkpoint taken after <paramref name="completedSteps"/> steps: restores the optimizer state
    /// written by <see cref="SaveOptimizerState"/> and the step count (which drives the learning-rate schedule and the
    /// routing draws). With the model's weights and the data position of that checkpoint, the following steps are exactly
    /// those of the uninterrupted run.
    /// </summary>
    /// <exception cref="ArgumentException">The step count is outside the run, or the state does not fit this trainer's parameters.</exception>
    public void Resume(int completedSteps, byte[] optimizerState)
    {
        ArgumentNullException.ThrowIfNull(optimizerState);
        if (completedSteps < 0 || completedSteps > options.Steps)
            throw new ArgumentException($"Cannot resume at step {completedSteps}: the run has {options.Steps} steps.", nameof(completedSteps));
        try
        {
            TrainingMath.LoadOptimizerState(optimizer, optimizerState);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or ArgumentException or InvalidOperationException)
        {
            throw new ArgumentException($"The optimizer state does not fit this trainer's {parameters.Count} parameters: {e.Message}", nameof(optimizerState), e);
        }
        CompletedSteps = completedSteps;
    }

    /// <summary>Releases the optimizer state and the routing generator.</summary>
    public void Dispose()
    {
        optimizer.Dispose();
        routingGenerator.Dispose();
    }
}
