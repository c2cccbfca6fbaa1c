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

    /// <summary>Mixture of domain experts.</summary>
    [CommandOption("--mixture <MIXTURE>")]
    [Description("For a mixture of domain experts (moe train --branch): uniform | updating | cached | topk:K — the mixture whose perplexity is reported (the table shows every expert, uniform, cached and top-k beside it). Default: cached.")]
    public string? Mixture { get; init; }

    /// <summary>Where the mixture plots go.</summary>
    [CommandOption("--out <DIR>")]
    [Description("For a mixture: where eval-<split>.json and the plots (posterior heatmap, per-expert perplexity) go. Default: the mixture folder.")]
    public string? Out { get; init; }

    /// <summary>Validation blocks per cached prior.</summary>
    [CommandOption("--prior-blocks <N>")]
    [Description("For a mixture: validation blocks each cached prior is estimated on (when the manifest has none). Default: 100.")]
    public int PriorBlocks { get; init; } = 100;

    /// <summary>Blocks per evaluation batch.</summary>
    [CommandOption("--batch <B>")]
    [Description("Blocks per evaluation batch. Default: 16.")]
    public int Batch { get; init; } = 16;
}
