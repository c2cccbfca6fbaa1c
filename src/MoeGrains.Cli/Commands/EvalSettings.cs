using System.ComponentModel;
using MoeGrains.Cli.Cluster;
using Spectre.Console.Cli;

namespace MoeGrains.Cli.Commands;

/// <summary>Options of <c>moe eval</c>.</summary>
public sealed class EvalSettings : ClusterSettings
{
    /// <summary>Checkpoint folder.</summary>
    [CommandOption("--checkpoint <DIR>")]
    [Description("In this process: a checkpoint folder written by moe train --in-process.")]
    public string? Checkpoint { get; init; }

    /// <summary>Model name in the cluster.</summary>
    [CommandOption("--model <NAME>")]
    [Description("Through grains: the model to evaluate.")]
    public string? Model { get; init; }

    /// <summary>Dataset name in the cluster.</summary>
    [CommandOption("--dataset <NAME>")]
    [Description("Through grains: a dataset already in the store (instead of uploading --corpus).")]
    public string? Dataset { get; init; }

    /// <summary>Corpus folder.</summary>
    [CommandOption("--corpus <DIR>")]
    [Description("Corpus folder (through grains: uploaded as a dataset named after it). Default: the bundled sample corpus.")]
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
}
