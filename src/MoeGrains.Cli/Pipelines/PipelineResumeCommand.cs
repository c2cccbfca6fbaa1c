using Microsoft.Extensions.Logging;
using MoeGrains.Cli.Cluster;
using Spectre.Console.Cli;

namespace MoeGrains.Cli.Pipelines;

/// <summary><c>moe pipeline resume RUN</c>: continues a failed or cancelled run and shows it live (embedded: until it ends).</summary>
internal sealed class PipelineResumeCommand : AsyncCommand<PipelineRunIdSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, PipelineRunIdSettings settings, CancellationToken cancellationToken)
    {
        var runId = settings.RequireRunId("resume");
        using var loggers = CliLogging.Create(LogLevel.Warning);
        await using var session = await ClusterSession.OpenAsync(settings, loggers, LogLevel.Warning, cancellationToken);
        var handle = session.Client.GetPipelineRun(runId);
        await handle.ResumeAsync();
        var final = await PipelineProgressView.WatchAsync(handle, cancelOnInterrupt: session.IsEmbedded, cancellationToken);
        return PipelineOutcome.Report(final);
    }
}
