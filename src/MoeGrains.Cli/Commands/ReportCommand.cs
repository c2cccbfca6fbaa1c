using Microsoft.Extensions.Logging;
using MoeGrains.Cli.Cluster;
using MoeGrains.Cli.Report;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MoeGrains.Cli.Commands;

/// <summary>
/// <c>moe report</c>: PNGs of a model's training (loss per run, tokens per expert per MoE layer, overflow) from the
/// router's history, or of a training output folder's metrics.jsonl.
/// </summary>
internal sealed class ReportCommand : AsyncCommand<ReportSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ReportSettings settings, CancellationToken cancellationToken)
    {
        ReportData data;
        string folder;
        if (settings.Run is { } run)
        {
            if (!Directory.Exists(run)) throw new DirectoryNotFoundException($"Run folder '{run}' does not exist.");
            data = ReportData.FromRunFolder(run);
            folder = settings.Out ?? Path.Combine(run, "report");
        }
        else
        {
            var model = settings.RequireModel();
            using var loggerFactory = CliLogging.Create(LogLevel.Warning);
            await using var session = await ClusterSession.OpenAsync(settings, loggerFactory, LogLevel.Warning, cancellationToken);
            data = ReportData.FromHistory(await session.Client.GetTrainingHistoryAsync(model));
            folder = settings.Out ?? Path.Combine("reports", model);
        }

        if (data.Losses.Count == 0) throw new ArgumentException($"'{data.Name}' has no training to report on: train it first.");
        var written = ReportPlots.Write(data, Path.GetFullPath(folder));
        foreach (var file in written) AnsiConsole.MarkupLineInterpolated($"wrote [bold]{file}[/]");
        if (data.Routing.Count == 0)
            AnsiConsole.MarkupLine("No routing was recorded (a dense model, or a run folder written through grains): loss only.");
        return 0;
    }
}
