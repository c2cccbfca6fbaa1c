using Microsoft.Extensions.Logging;
using MoeGrains.Cli.Training;
using Spectre.Console.Cli;

namespace MoeGrains.Cli.Commands;

/// <summary>
/// <c>moe train</c>: through grains (an embedded single-silo cluster, or <c>--cluster</c>) by default, or in this process
/// with <c>--in-process</c>; either way with a live progress bar, metrics.jsonl, loss.png and the validation perplexity table.
/// </summary>
internal sealed class TrainCommand : AsyncCommand<TrainSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, TrainSettings settings, CancellationToken cancellationToken)
    {
        using var loggerFactory = CliLogging.Create();
        if (!settings.InProcess) return await ClusterTraining.RunAsync(settings, loggerFactory, cancellationToken);
        if (settings.Cluster is not null || settings.Store is not null || settings.Model is not null || settings.Resume)
            throw new ArgumentException("--in-process trains without grains: --cluster, --store, --model and --resume do not apply.");
        return InProcessTraining.Run(settings, loggerFactory.CreateLogger("moe.train"), cancellationToken);
    }
}
