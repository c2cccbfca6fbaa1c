using System.ComponentModel;
using MoeGrains.Cli.Cluster;
using Spectre.Console.Cli;

namespace MoeGrains.Cli.Pipelines;

/// <summary>Options of <c>moe pipeline run</c>.</summary>
public sealed class PipelineRunSettings : ClusterSettings
{
    /// <summary>The pipeline file.</summary>
    [CommandArgument(0, "<FILE>")]
    [Description("Pipeline file (YAML or JSON): model, datasets, stages.")]
    public string File { get; init; } = "";

    /// <summary>Run id; default pipeline name + UTC time.</summary>
    [CommandOption("--run-id <ID>")]
    [Description("The run's id (default: <pipeline>-<UTC time>).")]
    public string? RunId { get; init; }

    /// <summary>Submit and return at once.</summary>
    [CommandOption("--detach")]
    [Description("With --cluster: submit the run and return; observe it with 'moe pipeline status'.")]
    public bool Detach { get; init; }
}
