using System.ComponentModel;
using MoeGrains.Cli.Cluster;
using Spectre.Console.Cli;

namespace MoeGrains.Cli.Commands;

/// <summary>Options of <c>moe experts add|retire|restore</c>.</summary>
public sealed class ExpertLifecycleSettings : ModelSettings
{
    /// <summary>The domain expert.</summary>
    [CommandOption("--expert <DOMAIN>")]
    [Description("The domain expert to add, retire or restore.")]
    public string? Expert { get; init; }

    /// <summary>A mixture folder instead of a model in the cluster.</summary>
    [CommandOption("--checkpoint <DIR>")]
    [Description("In this process: a mixture folder written by moe train --branch --in-process (instead of --model).")]
    public string? Checkpoint { get; init; }

    /// <summary>Corpus folder of the new domain.</summary>
    [CommandOption("--corpus <DIR>")]
    [Description("add: the corpus holding the new domain (<dir>/<domain>/{train,valid}.txt; with --model, uploaded as a dataset named after it). Default: the bundled sample corpus.")]
    public string? Corpus { get; init; }

    /// <summary>Dataset in the store holding the new domain.</summary>
    [CommandOption("--dataset <NAME>")]
    [Description("add --model: a dataset already in the store that holds the new domain (instead of uploading --corpus).")]
    public string? Dataset { get; init; }

    /// <summary>Checkpoint interval of an added expert.</summary>
    [CommandOption("--checkpoint-every <N>")]
    [Description("add --model: the new expert commits its weights every N steps (and at the end). Default: 50.")]
    public int CheckpointEvery { get; init; } = 50;

    /// <summary>Training steps of an added expert.</summary>
    [CommandOption("--steps <N>")]
    [Description("add: FFN training steps of the new expert. Default: 1000.")]
    public int Steps { get; init; } = 1000;

    /// <summary>The mixture's learning rate.</summary>
    [CommandOption("--lr <X>")]
    [Description("add: the mixture's peak learning rate; the new expert trains at 0.1 × it. Default: 0.003 (tiny: 0.01).")]
    public double? LearningRate { get; init; }

    /// <summary>Blocks per step.</summary>
    [CommandOption("--batch <B>")]
    [Description("add: blocks per step. Default: 16.")]
    public int Batch { get; init; } = 16;

    /// <summary>Seed.</summary>
    [CommandOption("--seed <S>")]
    [Description("add: seed of the new expert's batches. Default: 1234.")]
    public int Seed { get; init; } = 1234;

    /// <summary>Print JSON.</summary>
    [CommandOption("--json")]
    [Description("Print exactly one JSON object on stdout instead of a table.")]
    public bool Json { get; init; }

    /// <summary>The expert name, or a clear error when it is missing.</summary>
    public string RequireExpert() => string.IsNullOrWhiteSpace(Expert) ? throw new ArgumentException("--expert DOMAIN is required.") : Expert;
}
