using MoeGrains.Abstractions.Pipelines;
using Spectre.Console;

namespace MoeGrains.Cli.Pipelines;

/// <summary>The end of a watched run: its stage table, then an exit code (failed runs are an error line, exit 1).</summary>
internal static class PipelineOutcome
{
    public static int Report(PipelineRunStatus final)
    {
        PipelineStatusTable.Write(final);
        switch (final.State)
        {
            case PipelineRunState.Completed:
                return 0;
            case PipelineRunState.Failed:
                throw new InvalidOperationException($"Pipeline run '{final.RunId}' failed: {final.Error}. Fix the cause, then: moe pipeline resume {final.RunId}");
            case PipelineRunState.Cancelled:
                AnsiConsole.MarkupLineInterpolated($"Run {final.RunId} cancelled; continue it with: moe pipeline resume {final.RunId}");
                return 130;
            default:
                AnsiConsole.MarkupLineInterpolated($"Run {final.RunId} goes on in the cluster; observe it with: moe pipeline status {final.RunId}");
                return 0;
        }
    }
}
