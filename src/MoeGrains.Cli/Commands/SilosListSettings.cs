using System.ComponentModel;
using MoeGrains.Cli.Cluster;
using Spectre.Console.Cli;

namespace MoeGrains.Cli.Commands;

/// <summary>Options of <c>moe silos list</c>.</summary>
public sealed class SilosListSettings : ClusterSettings
{
    /// <summary>Print JSON.</summary>
    [CommandOption("--json")]
    [Description("Print exactly one JSON object on stdout instead of a table.")]
    public bool Json { get; init; }
}
