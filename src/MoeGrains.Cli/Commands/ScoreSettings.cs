using System.ComponentModel;
using MoeGrains.Cli.Cluster;
using Spectre.Console.Cli;

namespace MoeGrains.Cli.Commands;

/// <summary>Options of <c>moe score</c>.</summary>
public sealed class ScoreSettings : ModelSettings
{
    /// <summary>Texts to score.</summary>
    [CommandOption("--text <TEXT>")]
    [Description("A text to score; repeat for several.")]
    public string[] Texts { get; init; } = [];

    /// <summary>Multiple-choice task file (not implemented yet).</summary>
    [CommandOption("--tasks <FILE>")]
    [Description("Multiple-choice tasks: not implemented yet.")]
    public string? Tasks { get; init; }

    /// <summary>Print JSON.</summary>
    [CommandOption("--json")]
    [Description("Print exactly one JSON object on stdout instead of tables.")]
    public bool Json { get; init; }
}
