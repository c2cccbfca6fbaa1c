using Microsoft.Extensions.Logging;
using MoeGrains.Abstractions.Pipelines;
using MoeGrains.Cli.Cluster;
using MoeGrains.Pipelines;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MoeGrains.Cli.Pipelines;

/// <summary><c>moe pipeline run FILE</c>: validates the file, uploads its datasets, submits the run and shows it live.</summary>
internal sealed class PipelineRunCommand : AsyncCommand<PipelineRunSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, PipelineRunSettings settings, CancellationToken cancellationToken)
    {
        var definition = PipelineFile.Load(settings.PipelinePath); // every problem of the file is reported before a silo starts
        if (settings.Detach && string.IsNullOrWhiteSpace(settings.Cluster))
            throw new ArgumentException("--detach needs --cluster: the embedded silo stops when this command ends.");
        using var loggers = CliLogging.Create(LogLevel.Warning);
        await using var session = await ClusterSession.OpenAsync(settings, loggers, LogLevel.Warning, cancellationToken);
        var handle = await session.Client.RunPipelineAsync(definition, settings.RunId, cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"Run [bold]{handle.RunId}[/]: {string.Join(" → ", definition.Stages.Select(s => s.Kind))} on {session.Description}");
        if (settings.Detach) return 0;
        var final = await PipelineProgressView.WatchAsync(handle, cancelOnInterrupt: session.IsEmbedded, cancellationToken);
        return PipelineOutcome.Report(final);
    }
}
