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

    /// <summary>Multiple-choice task file.</summary>
    [CommandOption("--tasks <FILE>")]
    [Description("A multiple-choice task file (JSONL, COPA or classification; see the README): prints accuracy per method.")]
    public string? Tasks { get; init; }

    /// <summary>Scoring method(s) for --tasks.</summary>
    [CommandOption("--method <METHOD>")]
    [Description("lm | avg | pmi | pmi-dc | domain-cond | channel | direct++ | all. Default: all.")]
    public string Method { get; init; } = "all";

    /// <summary>Checkpoint folder for in-process scoring.</summary>
    [CommandOption("--checkpoint <DIR>")]
    [Description("In this process: a checkpoint folder written by moe train --in-process (instead of --model).")]
    public string? Checkpoint { get; init; }

    /// <summary>Bootstrap seed.</summary>
    [CommandOption("--seed <S>")]
    [Description("Seeds the bootstrap interval (1000 resamples). Default: 0.")]
    public int Seed { get; init; }

    /// <summary>Print JSON.</summary>
    [CommandOption("--json")]
    [Description("Print exactly one JSON object on stdout instead of tables.")]
    public bool Json { get; init; }
}
