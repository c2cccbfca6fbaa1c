using System.ComponentModel;
using Spectre.Console.Cli;

namespace MoeGrains.Cli.Commands;

/// <summary>Options of <c>moe tasks build-continuation</c>.</summary>
public sealed class BuildContinuationTaskSettings : CommandSettings
{
    /// <summary>Corpus folder.</summary>
    [CommandOption("--corpus <DIR>")]
    [Description("Corpus folder. Default: the bundled sample corpus.")]
    public string? Corpus { get; init; }

    /// <summary>Split to cut passages from.</summary>
    [CommandOption("--split <SPLIT>")]
    [Description("valid | test. Default: test.")]
    public string Split { get; init; } = "test";

    /// <summary>Output file.</summary>
    [CommandOption("--out <FILE>")]
    [Description("The JSONL task file to write (refused if it exists).")]
    public string? Out { get; init; }

    /// <summary>Choices per item.</summary>
    [CommandOption("--choices <N>")]
    [Description("Choices per item. Default: 4.")]
    public int Choices { get; init; } = 4;

    /// <summary>Items per domain.</summary>
    [CommandOption("--per-domain <N>")]
    [Description("At most N items per domain. Default: 40.")]
    public int PerDomain { get; init; } = 40;

    /// <summary>Context length.</summary>
    [CommandOption("--context-chars <N>")]
    [Description("About N characters of context, cut at a word boundary. Default: 64.")]
    public int ContextChars { get; init; } = 64;

    /// <summary>Continuation length.</summary>
    [CommandOption("--continuation-chars <N>")]
    [Description("About N characters per continuation, cut at a word boundary. Default: 24.")]
    public int ContinuationChars { get; init; } = 24;

    /// <summary>Seed.</summary>
    [CommandOption("--seed <S>")]
    [Description("Seeds passages, distractors and choice order. Default: 0.")]
    public int Seed { get; init; }
}
