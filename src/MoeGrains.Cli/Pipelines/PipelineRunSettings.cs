using System.ComponentModel;
using MoeGrains.Cli.Cluster;
using Spectre.Console.Cli;

namespace MoeGrains.Cli.Pipelines;

/// <summary>Options of <c>moe pipeline run</c>.</summary>
public sealed class PipelineRunSettings : ClusterSettings
{
    /// <summary>The pipeline file.</summary>
    [CommandArgument(0, "[FILE]")]
    [Description("Pipeline file (YAML or JSON): model, datasets, stages. Default: the bundled sample pipeline over the sample corpus.")]
    public string? File { get; init; }

    /// <summary>The file to run: the one given, or the bundled sample pipeline.</summary>
    public string PipelinePath => string.IsNullOrWhiteSpace(File) ? Path.Combine(AppContext.BaseDirectory, "pipelines", "sample.yaml") : File;

    /// <summary>Run id; default pipeline name + UTC time.</summary>
    [CommandOption("--run-id <ID>")]
    [Description("The run's id (default: <pipeline>-<UTC time>).")]
    public string? RunId { get; init; }

    /// <summary>Submit and return at once.</summary>
    [CommandOption("--detach")]
    [Description("With --cluster: submit the run and return; observe it with 'moe pipeline status'.")]
    public bool Detach { get; init; }
}
