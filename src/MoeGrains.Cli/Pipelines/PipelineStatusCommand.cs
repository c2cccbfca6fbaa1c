using Microsoft.Extensions.Logging;
using MoeGrains.Cli.Cluster;
using Spectre.Console.Cli;

namespace MoeGrains.Cli.Pipelines;

/// <summary><c>moe pipeline status [RUN]</c>: one run's stages, or every run.</summary>
internal sealed class PipelineStatusCommand : AsyncCommand<PipelineRunIdSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, PipelineRunIdSettings settings, CancellationToken cancellationToken)
    {
        using var loggers = CliLogging.Create(LogLevel.Warning);
        await using var session = await ClusterSession.OpenAsync(settings, loggers, LogLevel.Warning, cancellationToken);
        if (string.IsNullOrWhiteSpace(settings.RunId))
        {
            var runs = await session.Client.ListPipelineRunsAsync();
            if (settings.Json) Console.Out.WriteLine(PipelineStatusTable.Json(new { runs }));
            else PipelineStatusTable.WriteList(runs);
            return 0;
        }
        var status = await session.Client.GetPipelineRun(settings.RunId).GetStatusAsync();
        if (settings.Json) Console.Out.WriteLine(PipelineStatusTable.Json(status));
        else PipelineStatusTable.Write(status);
        return 0;
    }
}
