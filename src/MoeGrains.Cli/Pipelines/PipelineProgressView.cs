using MoeGrains.Abstractions.Pipelines;
using MoeGrains.Client;
using Spectre.Console;

namespace MoeGrains.Cli.Pipelines;

/// <summary>
/// Live progress of a run: one bar for the stages, and one bar per expert while a stage trains experts. Ctrl+C cancels
/// the run when cancelOnInterrupt is set (the embedded silo dies with this process), else detaches.
/// </summary>
internal static class PipelineProgressView
{
    public static async Task<PipelineRunStatus> WatchAsync(PipelineRunHandle handle, bool cancelOnInterrupt, CancellationToken cancellationToken)
    {
        var last = await handle.GetStatusAsync();
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var stages = progress.AddTask(StagesLine(last), maxValue: last.Stages.Count);
                var experts = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                await foreach (var status in handle.WatchAsync(TimeSpan.FromMilliseconds(500), CancellationToken.None))
                {
                    last = status;
                    stages.Value = status.Stages.Count(stage => stage.State == StageState.Completed);
                    stages.Description = StagesLine(status);
                    var current = status.CurrentStage < status.Stages.Count ? status.Stages[status.CurrentStage] : null;
                    foreach (var expert in current?.Experts ?? [])
                    {
                        var key = $"{current!.Kind}/{expert.Expert}";
                        if (!experts.TryGetValue(key, out var bar)) experts[key] = bar = progress.AddTask(key, maxValue: Math.Max(1, expert.Steps));
                        bar.Value = Math.Min(expert.Step, expert.Steps);
                        bar.Description = $"{Markup.Escape(key)}  loss {expert.Loss:F3}  {expert.TokensPerSecond:N0} tok/s";
                    }
                    if (cancellationToken.IsCancellationRequested)
                    {
                        if (!cancelOnInterrupt) break;
                        last = await handle.CancelAsync();
                        break;
                    }
                }
                foreach (var bar in experts.Values.Append(stages)) bar.StopTask();
                progress.Refresh();
            });
        return last;
    }

    private static string StagesLine(PipelineRunStatus status)
    {
        if (status.State != PipelineRunState.Running) return $"{Markup.Escape(status.RunId)}: {status.State.ToString().ToLowerInvariant()}";
        var stage = status.Stages[Math.Min(status.CurrentStage, status.Stages.Count - 1)];
        var retry = stage.State == StageState.Retrying ? $" [yellow](retrying: {Markup.Escape(stage.Error ?? "")})[/]" : "";
        return $"{Markup.Escape(status.RunId)}: {stage.Kind} {Markup.Escape(stage.Message ?? "")}{retry}";
    }
}
