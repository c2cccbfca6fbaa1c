using Microsoft.Extensions.Logging;
using MoeGrains.Cli.Cluster;
using Spectre.Console.Cli;

namespace MoeGrains.Cli.Pipelines;

/// <summary><c>moe pipeline cancel RUN</c>.</summary>
internal sealed class PipelineCancelCommand : AsyncCommand<PipelineRunIdSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, PipelineRunIdSettings settings, CancellationToken cancellationToken)
    {
        var runId = settings.RequireRunId("cancel");
        using var loggers = CliLogging.Create(LogLevel.Warning);
        await using var session = await ClusterSession.OpenAsync(settings, loggers, LogLevel.Warning, cancellationToken);
        var status = await session.Client.GetPipelineRun(runId).CancelAsync();
        if (settings.Json) Console.Out.WriteLine(PipelineStatusTable.Json(status));
        else PipelineStatusTable.Write(status);
        return 0;
    }
}
