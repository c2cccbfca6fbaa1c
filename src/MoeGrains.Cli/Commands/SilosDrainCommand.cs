using Microsoft.Extensions.Logging;
using MoeGrains.Abstractions.Cluster;
using MoeGrains.Cli.Cluster;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MoeGrains.Cli.Commands;

/// <summary><c>moe silos drain</c>: moves every expert off a silo (scale-in) with a progress bar; the silo can then stop.</summary>
internal sealed class SilosDrainCommand : AsyncCommand<SilosDrainSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, SilosDrainSettings settings, CancellationToken cancellationToken)
    {
        var silo = settings.RequireSilo();
        if (settings.TimeoutSeconds <= 0) throw new ArgumentException($"--timeout must be positive (got {settings.TimeoutSeconds}).");
        using var loggerFactory = CliLogging.Create(LogLevel.Warning);
        await using var session = await ClusterSession.OpenAsync(settings, loggerFactory, LogLevel.Warning, cancellationToken);
        DrainStatus? final = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask($"draining {Markup.Escape(silo)}", maxValue: 1);
                var updates = new Progress<DrainStatus>(status =>
                {
                    task.MaxValue = Math.Max(1, status.ExpertsAtStart);
                    task.Value = status.ExpertsAtStart - status.ExpertsRemaining;
                    task.Description = $"{Markup.Escape(status.Silo)}: {status.ExpertsRemaining} of {status.ExpertsAtStart} expert(s) left";
                });
                final = await session.Client.DrainSiloAsync(silo, updates, TimeSpan.FromSeconds(settings.TimeoutSeconds), cancellationToken);
                task.Value = task.MaxValue;
                task.StopTask();
            });
        AnsiConsole.MarkupLine($"drained [bold]{Markup.Escape(final!.Silo)}[/]: {final.ExpertsAtStart} expert(s) moved in {final.Elapsed.TotalSeconds:F1} s; it hosts no expert and can be stopped.");
        return 0;
    }
}
