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
        if (settings.BranchLearningRate is { } branchLearningRate && (!(branchLearningRate > 0) || double.IsInfinity(branchLearningRate)))
            throw new ArgumentException($"--branch-lr must be a positive number (got {branchLearningRate}).");
        if (settings.Branch && settings.InProcess)
        {
            if (settings.Cluster is not null || settings.Store is not null || settings.Model is not null || settings.Resume)
                throw new ArgumentException("--in-process trains without grains: --cluster, --store, --model and --resume do not apply.");
            return await BranchInProcessTraining.RunAsync(settings, loggerFactory.CreateLogger("moe.train"), cancellationToken);
        }
        if (!settings.Branch && (settings.BranchSteps is not null || settings.BranchBatch is not null || settings.BranchLearningRate is not null
            || settings.Btm || settings.HoldOut is not null))
            throw new ArgumentException("--branch-steps, --branch-batch, --branch-lr, --btm and --hold-out apply only with --branch.");
        if (!settings.InProcess) return await ClusterTraining.RunAsync(settings, loggerFactory, cancellationToken);
        if (settings.Cluster is not null || settings.Store is not null || settings.Model is not null || settings.Resume)
            throw new ArgumentException("--in-process trains without grains: --cluster, --store, --model and --resume do not apply.");
        return InProcessTraining.Run(settings, loggerFactory.CreateLogger("moe.train"), cancellationToken);
    }
}
