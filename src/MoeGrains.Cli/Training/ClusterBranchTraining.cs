using MoeGrains.Abstractions.Domains;
using MoeGrains.Abstractions.Training;
using MoeGrains.Cli.Commands;
using MoeGrains.Cli.Output;
using MoeGrains.Client;
using MoeGrains.Model.Domains;
using Spectre.Console;

namespace MoeGrains.Cli.Training;

/// <summary>
/// Phase 2 of <c>moe train --branch</c> through grains: one domain-expert grain per training domain, all started at once,
/// watched until the mixture's first version is committed; then the mixture evaluation.
/// </summary>
internal static class ClusterBranchTraining
{
    /// <summary>Trains one expert per domain of <paramref name="domains"/> on <paramref name="dataset"/>; evaluates on <paramref name="evaluationDataset"/> (held-out domains included).</summary>
    public static async Task<int> RunAsync(MoeClient client, string model, string dataset, IReadOnlyList<string> domains, string evaluationDataset,
        TrainSettings settings, double learningRate, int sharedVersion, CancellationToken cancellationToken)
    {
        var request = new DomainExpertTrainingRequest(dataset, sharedVersion, settings.BranchSteps ?? settings.Steps, settings.BranchBatch ?? settings.Batch,
            settings.BranchLearningRate ?? learningRate,
            settings.Seed, settings.CheckpointEvery, settings.Btm);
        await client.TrainDomainExpertsAsync(model, domains, request);
        DomainMixtureStatus status = await client.GetDomainMixtureAsync(model);
        await AnsiConsole.Progress().AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var bars = domains.ToDictionary(d => d, d => progress.AddTask($"phase 2: {d}", maxValue: request.Steps));
                while (true)
                {
                    status = await client.GetDomainMixtureAsync(model);
                    foreach (var expert in status.Training)
                    {
                        var bar = bars[expert.Expert];
                        bar.Value = expert.Step;
                        bar.Description = $"phase 2: {expert.Expert}  loss {expert.Loss:F3}  {expert.TokensPerSecond:N0} tok/s  v{expert.Version}"
                            + (expert.Resumes > 0 ? $"  resumed ×{expert.Resumes}" : "");
                    }
                    if (status.Version >= 1 || status.Training.Any(e => e.State == TrainingState.Failed)) break;
                    await Task.Delay(250, cancellationToken);
                }
                progress.Refresh();
            });
        if (status.Training.FirstOrDefault(e => e.State == TrainingState.Failed) is { } failed)
            throw new InvalidOperationException($"Domain expert '{failed.Expert}' of '{model}' failed at step {failed.Step}: {failed.Error}");
        AnsiConsole.MarkupLineInterpolated($"Mixture [bold]{model}[/] version {status.Version}: {status.Experts.Count} domain experts trained independently.");
        if (!settings.NoEval)
        {
            var result = await client.EvaluateMixtureAsync(model, evaluationDataset, "valid", topK: Math.Min(2, status.Experts.Count));
            MixtureOutput.WriteTable(MixtureReports.ToReport(result), new MixtureSettings(PriorMode.Cached), $"validation perplexity of {model} (version {result.Version})");
        }
        return 0;
    }
}
