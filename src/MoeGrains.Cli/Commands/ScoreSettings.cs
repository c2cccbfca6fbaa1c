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

    /// <summary>How to mix a mixture of domain experts.</summary>
    [CommandOption("--mixture <MIXTURE>")]
    [Description("For a mixture of domain experts (moe train --branch), required there: uniform | cached | topk:K. Each choice's sequence " +
        "probability is mixed across the experts with the posterior given its context; cached and topk:K take the prior of each item's domain.")]
    public string? Mixture { get; init; }

    /// <summary>Score a model's shared weights even when it has a mixture of domain experts.</summary>
    [CommandOption("--shared")]
    [Description("With --model NAME --tasks: score the model's shared (phase-1) weights through its router even when it has a mixture of domain " +
        "experts (for a folder, score its shared/ subfolder).")]
    public bool Shared { get; init; }

    /// <summary>Dataset for estimating missing cached priors in the cluster.</summary>
    [CommandOption("--dataset <NAME>")]
    [Description("With --model and --mixture cached|topk:K: a dataset in the store whose valid split estimates a domain's prior when the mixture has none (instead of uploading --corpus).")]
    public string? Dataset { get; init; }

    /// <summary>Corpus folder for estimating missing cached priors.</summary>
    [CommandOption("--corpus <DIR>")]
    [Description("With --mixture cached|topk:K: the corpus whose valid split estimates a domain's prior when the mixture has none (through grains: uploaded). Default: the bundled sample corpus.")]
    public string? Corpus { get; init; }

    /// <summary>Bootstrap seed.</summary>
    [CommandOption("--seed <S>")]
    [Description("Seeds the bootstrap interval (1000 resamples). Default: 0.")]
    public int Seed { get; init; }

    /// <summary>Print JSON.</summary>
    [CommandOption("--json")]
    [Description("Print exactly one JSON object on stdout instead of tables.")]
    public bool Json { get; init; }
}
