using Microsoft.Extensions.Logging;
using MoeGrains.Abstractions.Models;
using MoeGrains.Abstractions.Training;
using MoeGrains.Cli.Cluster;
using MoeGrains.Cli.Commands;
using MoeGrains.Cli.Output;
using MoeGrains.Client;
using MoeGrains.Model;
using MoeGrains.Model.Data;
using MoeGrains.Model.Training;
using Spectre.Console;

namespace MoeGrains.Cli.Training;

/// <summary>
/// <c>moe train</c> through grains (an embedded silo or <c>--cluster</c>): uploads the corpus as a dataset, creates the
/// model, starts training and polls it for the progress bar, then writes metrics.jsonl and loss.png from the losses and
/// evaluates through the router.
/// </summary>
internal static class ClusterTraining
{
    private const int LogEvery = 10;

    public static async Task<int> RunAsync(TrainSettings settings, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("moe.train");
        // Everything that can be checked here is checked before a silo starts: the same errors as --in-process.
        var gate = GateNames.Parse(settings.Gate);
        var tokenizer = TokenizerFactory.Create(settings.Tokenizer);
        var corpus = DomainCorpus.Load(SampleCorpus.Resolve(settings.Corpus), logger);
        var config = ModelConfig.FromPreset(settings.Config, gate, tokenizer.VocabularySize, tokenizer.Name);
        var learningRate = settings.LearningRateFor(config);
        new TrainingOptions(settings.Steps, settings.Batch, learningRate, Seed: settings.Seed).Validate();
        if (settings.CheckpointEvery <= 0) throw new ArgumentException($"--checkpoint-every must be positive (got {settings.CheckpointEvery}).");
        if (settings.Resume && settings.Model is null) throw new ArgumentException("--resume needs --model NAME: the model to train further.");
        var dataset = settings.Dataset ?? ClusterNames.DatasetFor(corpus.Directory);
        if (settings.Branch && (gate is not (GateKind.Domain or GateKind.Dense) || settings.Resume))
            throw new ArgumentException("--branch trains domain experts after a new domain-gate (DEMix) or dense model: use --gate domain or dense, without --resume.");
        // --hold-out: both phases train on a dataset without the held-out domains; evaluation (and a later add) uses the whole one.
        var held = HeldOutDomains(settings.HoldOut, corpus);
        var trainingDomains = corpus.Domains.Where(d => !held.Contains(d)).ToList();
        var trainingDataset = held.Count == 0 ? dataset : $"{dataset}-without-{string.Join('-', held)}";

        await using var session = await ClusterSession.OpenAsync(settings, loggers, LogLevel.Information, cancellationToken);
        var client = session.Client;
        var model = await ChooseModelAsync(client, settings);
        var outDir = OutputFolder.Choose(settings.Out, model, metricsOnly: true);

        await client.UploadDatasetAsync(dataset, corpus.Directory, cancellationToken);
        if (held.Count > 0) await client.UploadDatasetAsync(trainingDataset, corpus.Directory, trainingDomains, cancellationToken);
        if (!settings.Resume)
        {
            var spec = new ModelSpec(settings.Config, settings.Gate, settings.Tokenizer, settings.Seed,
                Domains: gate == GateKind.Domain ? trainingDomains : null); // DEMix: one expert per training domain, routed by name
            var created = await client.CreateModelAsync(model, spec);
            logger.LogInformation("Created model {Model} ({Gate}/{Config}, {Experts} experts per MoE layer) on {Where}", model, settings.Gate, settings.Config,
                created.ExpertsPerLayer, session.Description);
        }

        var request = new TrainingRequest(trainingDataset, settings.Steps, settings.Batch, learningRate, settings.Seed, settings.CheckpointEvery);
        var handle = await client.TrainAsync(model, request);
        var final = await WatchAsync(handle, $"training {model}", settings.Steps, cancellationToken);

        WriteMetrics(outDir, final.Losses);
        if (final.Losses.Count > 0)
            LossPlot.Write(Path.Combine(outDir, "loss.png"), [.. final.Losses.Select((loss, i) => new StepMetrics(i + 1, loss, 0, 0, 0, 0, []))],
                $"{settings.Gate} / {settings.Config} on {dataset} (through grains)");
        switch (final.State)
        {
            case TrainingState.Failed:
                throw new InvalidOperationException($"Training of model '{model}' failed at step {final.Step}: {final.Error}");
            case TrainingState.Cancelled:
                AnsiConsole.MarkupLineInterpolated($"Training of [bold]{model}[/] cancelled at step {final.Step}; checkpoint v{final.Version} is in the store.");
                return 130;
        }
        AnsiConsole.MarkupLineInterpolated($"Model [bold]{model}[/] at checkpoint v{final.Version} in {session.Description}; metrics.jsonl and loss.png written to [bold]{outDir}[/]");

        if (settings.Branch)
            return await ClusterBranchTraining.RunAsync(client, model, trainingDataset, trainingDomains, dataset, settings, learningRate, final.Version, cancellationToken);
        if (!settings.NoEval)
        {
            var result = await client.EvaluateAsync(model, dataset, "valid");
            PerplexityOutput.WriteTable(EvaluationReports.ToReport(result), $"validation perplexity of {model} ({tokenizer.Name} tokens)");
        }
        return 0;
    }

    /// <summary>The domains --hold-out names (sorted), each checked against the corpus.</summary>
    private static IReadOnlyList<string> HeldOutDomains(string? holdOut, DomainCorpus corpus)
    {
        var held = (holdOut ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal).ToList();
        var unknown = held.FirstOrDefault(d => !corpus.Domains.Contains(d));
        if (unknown is not null)
            throw new ArgumentException($"--hold-out names unknown domain '{unknown}'. Domains: {string.Join(", ", corpus.Domains)}.");
        if (held.Count == corpus.Domains.Count) throw new ArgumentException("--hold-out leaves no domain to train on.");
        return held;
    }

    private static async Task<string> ChooseModelAsync(MoeClient client, TrainSettings settings)
    {
        if (settings.Model is null)
            return await ClusterNames.FreeModelNameAsync(client, $"{settings.Gate}-{settings.Config}".ToLowerInvariant());
        var exists = (await client.ListModelsAsync()).Contains(settings.Model);
        if (exists && !settings.Resume)
            throw new ArgumentException($"Model '{settings.Model}' already exists; choose another --model, or add --resume to train it further.");
        if (!exists && settings.Resume)
            throw new ArgumentException($"Unknown model '{settings.Model}': --resume trains an existing model further.");
        return settings.Model;
    }

    /// <summary>Polls the run for the progress bar until it ends; Ctrl+C asks the router to stop after the step in progress.</summary>
    private static async Task<TrainingStatus> WatchAsync(TrainingHandle handle, string title, int steps, CancellationToken cancellationToken)
    {
        TrainingStatus last = await handle.GetStatusAsync();
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(title, maxValue: steps);
                var cancelling = false;
                await foreach (var status in handle.WatchAsync(TimeSpan.FromMilliseconds(250), CancellationToken.None))
                {
                    last = status;
                    task.Value = Math.Min(status.Step, steps);
                    if (status.Losses.Count > 0) task.Description = $"loss {status.Loss:F3}  {status.TokensPerSecond:N0} tok/s";
                    if (status.StorageOutage) task.Description = "checkpoint store unavailable, retrying…";
                    if (cancellationToken.IsCancellationRequested && !cancelling)
                    {
                        cancelling = true;
                        task.Description = "cancelling after the step in progress…";
                        await handle.CancelAsync();
                    }
                }
                task.StopTask();
                progress.Refresh();
            });
        return last;
    }

    private static void WriteMetrics(string outDir, IReadOnlyList<double> losses)
    {
        using var metrics = new MetricsWriter(Path.Combine(outDir, "metrics.jsonl"));
        for (var step = 1; step <= losses.Count; step++)
            if (step % LogEvery == 0 || step == losses.Count) metrics.Write(step, losses[step - 1]);
    }
}
