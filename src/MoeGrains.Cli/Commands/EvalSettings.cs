using System.ComponentModel;
using Spectre.Console.Cli;

namespace MoeGrains.Cli.Commands;

/// <summary>Options of <c>moe eval</c>.</summary>
public sealed class EvalSettings : CommandSettings
{
    /// <summary>Checkpoint folder.</summary>
    [CommandOption("--checkpoint <DIR>")]
    [Description("A checkpoint folder written by moe train.")]
    public string? Checkpoint { get; init; }

    /// <summary>Corpus folder.</summary>
    [CommandOption("--corpus <DIR>")]
    [Description("Corpus folder. Default: the bundled sample corpus.")]
    public string? Corpus { get; init; }

    /// <summary>Split name.</summary>
    [CommandOption("--split <SPLIT>")]
    [Description("valid | test. Default: valid.")]
    public string Split { get; init; } = "valid";

    /// <summary>Print JSON.</summary>
    [CommandOption("--json")]
    [Description("Print exactly one JSON object on stdout instead of a table.")]
    public bool Json { get; init; }

    /// <summary>Blocks per evaluation batch.</summary>
    [CommandOption("--batch <B>")]
    [Description("Blocks per evaluation batch. Default: 16.")]
    public int Batch { get; init; } = 16;

    /// <summary>Device.</summary>
    [CommandOption("--device <DEVICE>")]
    [Description("auto | cpu | cuda | cuda:N. Default: auto.")]
    public string Device { get; init; } = "auto";
}
