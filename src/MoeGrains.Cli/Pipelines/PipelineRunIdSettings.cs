using System.ComponentModel;
using MoeGrains.Cli.Cluster;
using Spectre.Console.Cli;

namespace MoeGrains.Cli.Pipelines;

/// <summary>Options of <c>moe pipeline status|cancel|resume</c>.</summary>
public sealed class PipelineRunIdSettings : ClusterSettings
{
    /// <summary>The run; status without it lists every run.</summary>
    [CommandArgument(0, "[RUN]")]
    [Description("The run id (status without it lists every run).")]
    public string? RunId { get; init; }

    /// <summary>Print JSON.</summary>
    [CommandOption("--json")]
    [Description("Print exactly one JSON object on stdout.")]
    public bool Json { get; init; }

    /// <summary>The run id, required by cancel and resume.</summary>
    public string RequireRunId(string verb) =>
        string.IsNullOrWhiteSpace(RunId) ? throw new ArgumentException($"'moe pipeline {verb}' needs the run id: moe pipeline {verb} RUN.") : RunId;
}
