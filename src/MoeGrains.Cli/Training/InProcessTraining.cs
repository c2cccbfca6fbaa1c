using Microsoft.Extensions.Logging;
using MoeGrains.Cli.Commands;
using MoeGrains.Cli.Output;
using MoeGrains.Model;
using MoeGrains.Model.Checkpoints;
using MoeGrains.Model.Data;
using MoeGrains.Model.Evaluation;
using MoeGrains.Model.Training;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace MoeGrains.Cli.Training;

/// <summary><c>moe train --in-process</c>: the reference path, training in this process without Orleans.</summary>
internal static class InProcessTraining
{
    public static int Run(TrainSettings settings, ILogger logger, CancellationToken cancellationToken)
    {
        var gate = GateNames.Parse(settings.Gate);
        var tokenizer = TokenizerFactory.Create(settings.Tokenizer);
        var corpus = DomainCorpus.Load(SampleCorpus.Resolve(settings.Corpus), logger);
        var config = ModelConfig.FromPreset(settings.Config, gate, tokenizer.VocabularySize, tokenizer.Name);
        if (gate == GateKind.Domain) config = config.WithDomains(corpus.Domains); // DEMix: one expert per domain, routed by name
        var options = new TrainingOptions(settings.Steps, settings.Batch, settings.LearningRateFor(config), Seed: settings.Seed).Validate();
        var outDir = OutputFolder.Choose(settings.Out, $"{settings.Gate}-{settings.Config}".ToLowerInvariant());
        var device = DeviceSelector.Resolve(settings.Device, logger);

        logger.LogInformation("Tokenizing the train split of {Corpus} ({Domains} domains) with {Tokenizer}", corpus.Directory, corpus.Domains.Count, tokenizer.Name);
        var train = TokenizedSplit.Create(corpus, tokenizer, CorpusSplit.Train).ForModel(config);
        var sampler = new BlockSampler(train, config.ContextLength, settings.Seed);

        manual_seed(settings.Seed);
        using var model = new MoeLanguageModel(config);
        if (device.type != DeviceType.CPU) model.to(device.type, device.index);
        using var trainer = new Trainer(model, options, logger);
        var history = RunWithProgress(trainer, options, sampler, Path.Combine(outDir, "metrics.jsonl"), $"training {settings.Gate}/{settings.Config}", cancellationToken,
            metrics => StepMetricsRecording.Record(metrics, Path.GetFileName(outDir), config));

        ModelCheckpoint.Save(outDir, model, trainer.CompletedSteps);
        LossPlot.Write(Path.Combine(outDir, "loss.png"), history, $"{settings.Gate} / {settings.Config} on {Path.GetFileName(corpus.Directory.TrimEnd('/'))}");
        AnsiConsole.MarkupLineInterpolated($"Checkpoint, metrics.jsonl and loss.png written to [bold]{outDir}[/]");

        if (!settings.NoEval)
        {
            var valid = TokenizedSplit.Create(corpus, tokenizer, CorpusSplit.Valid).ForModel(config);
            var report = PerplexityEvaluator.Evaluate(model, valid, settings.Batch);
            PerplexityOutput.WriteTable(report, $"validation perplexity ({tokenizer.Name} tokens)");
        }
        return 0;
    }

    /// <summary>Runs <paramref name="trainer"/> under a progress bar, writing every 10th step to <paramref name="metricsPath"/>.</summary>
    public static List<StepMetrics> RunWithProgress(Trainer trainer, TrainingOptions options, BlockSampler sampler, string metricsPath,
        string label, CancellationToken cancellationToken, Action<StepMetrics>? onStep = null)
    {
        var history = new List<StepMetrics>();
        using var metricsFile = new MetricsWriter(metricsPath);
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(progress =>
            {
                var task = progress.AddTask(label, maxValue: options.Steps);
                trainer.Run(() => sampler.Next(options.BatchSize), metrics =>
                {
                    history.Add(metrics);
                    onStep?.Invoke(metrics);
                    if (metrics.Step % options.LogEvery == 0 || metrics.Step == options.Steps) metricsFile.Write(metrics);
                    task.Description = $"loss {metrics.Loss:F3}  {metrics.TokensPerSecond:N0} tok/s";
                    task.Increment(1);
                }, cancellationToken);
            });
        return history;
    }
}
