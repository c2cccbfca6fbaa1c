using Microsoft.Extensions.Logging;
using MoeGrains.Abstractions.Domains;
using MoeGrains.Abstractions.Training;
using MoeGrains.Cli.Cluster;
using MoeGrains.Client;
using MoeGrains.Model;
using MoeGrains.Model.Data;
using MoeGrains.Model.Domains;
using Spectre.Console;

namespace MoeGrains.Cli.Commands;

/// <summary>
/// <c>moe experts add --model NAME --expert DOMAIN</c> through the mixture grain: it estimates the new domain's posterior,
/// starts the new expert from the closest expert (FFN-only, 0.1 × the learning rate) and commits the next mixture version
/// once it has finished; this command shows the expert's progress until then.
/// </summary>
internal static class ClusterExpertAddition
{
    public static async Task<int> AddAsync(ExpertLifecycleSettings settings, CancellationToken cancellationToken)
    {
        var model = settings.RequireModel();
        var domain = settings.RequireExpert();
        if (settings.Steps <= 0) throw new ArgumentException($"--steps must be positive (got {settings.Steps}).");
        if (settings.Batch <= 0) throw new ArgumentException($"--batch must be positive (got {settings.Batch}).");
        if (settings.CheckpointEvery <= 0) throw new ArgumentException($"--checkpoint-every must be positive (got {settings.CheckpointEvery}).");
        if (settings.LearningRate is { } rate && !(rate > 0)) throw new ArgumentException($"--lr must be positive (got {rate}).");
        if (settings.Dataset is not null && settings.Corpus is not null)
            throw new ArgumentException("Give --dataset NAME (already in the store) or --corpus DIR (uploaded), not both.");
        using var loggers = CliLogging.Create(LogLevel.Warning);
        var corpus = settings.Dataset is null ? DomainCorpus.Load(SampleCorpus.Resolve(settings.Corpus), loggers.CreateLogger("moe.experts")) : null;
        if (corpus is not null && !corpus.Domains.Contains(domain))
            throw new ArgumentException($"Corpus '{corpus.Directory}' has no domain '{domain}'. Domains: {string.Join(", ", corpus.Domains)}.");

        await using var session = await ClusterSession.OpenAsync(settings, loggers, LogLevel.Warning, cancellationToken);
        var client = session.Client;
        var config = ModelConfig.FromJson((await client.GetModelAsync(model)).ConfigJson);
        var learningRate = settings.LearningRate ?? (config.Preset == "tiny" ? 1e-2 : 3e-3);
        var dataset = settings.Dataset ?? ClusterNames.DatasetFor(corpus!.Directory);
        if (corpus is not null) await client.UploadDatasetAsync(dataset, corpus.Directory, cancellationToken);
        var request = new DomainExpertTrainingRequest(dataset, 0, settings.Steps, settings.Batch, learningRate, settings.Seed, settings.CheckpointEvery);
        var started = await client.AddExpertAsync(model, domain, request);
        var status = settings.Json
            ? await WaitAsync(client, model, domain, started.Version, _ => { }, cancellationToken)
            : await WatchAsync(client, model, domain, started.Version, settings.Steps, cancellationToken);

        if (status.Version <= started.Version)
        {
            var failed = status.Training.FirstOrDefault(e => e.Expert == domain);
            throw new InvalidOperationException($"Adding expert '{domain}' to '{model}' failed{(failed is null ? "" : $" at step {failed.Step}: {failed.Error}")}; the mixture stays at version {status.Version}.");
        }
        if (!settings.Json)
            AnsiConsole.MarkupLineInterpolated($"Expert [bold]{domain}[/] trained {settings.Steps} steps at {learningRate * BranchTraining.AddedExpertLearningRateFactor:G3} on {dataset}; mixture version {status.Version}.");
        ExpertLifecycle.Write(model, status, settings.Json);
        return 0;
    }

    private static async Task<DomainMixtureStatus> WatchAsync(MoeClient client, string model, string domain, int baseVersion, int steps,
        CancellationToken cancellationToken)
    {
        DomainMixtureStatus status = null!;
        await AnsiConsole.Progress().AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var bar = progress.AddTask($"adding {domain}", maxValue: steps);
                status = await WaitAsync(client, model, domain, baseVersion, expert =>
                {
                    bar.Value = expert.Step;
                    bar.Description = $"adding {domain}  loss {expert.Loss:F3}  {expert.TokensPerSecond:N0} tok/s  v{expert.Version}"
                        + (expert.Resumes > 0 ? $"  resumed ×{expert.Resumes}" : "");
                }, cancellationToken);
                if (status.Version > baseVersion) bar.Value = steps;
                progress.Refresh();
            });
        return status;
    }

    /// <summary>Polls the mixture until the version with the new expert is committed, or the expert's training failed (or vanished).</summary>
    private static async Task<DomainMixtureStatus> WaitAsync(MoeClient client, string model, string domain, int baseVersion,
        Action<DomainExpertStatus> onProgress, CancellationToken cancellationToken)
    {
        while (true)
        {
            var status = await client.GetDomainMixtureAsync(model);
            var expert = status.Training.FirstOrDefault(e => e.Expert == domain);
            if (expert is not null) onProgress(expert);
            if (status.Version > baseVersion || expert is null || expert.State == TrainingState.Failed) return status;
            await Task.Delay(250, cancellationToken);
        }
    }
}
