using System.ComponentModel;
using MoeGrains.Cli.Cluster;
using Spectre.Console.Cli;

namespace MoeGrains.Cli.Commands;

/// <summary>Options of <c>moe generate</c>.</summary>
public sealed class GenerateSettings : ModelSettings
{
    /// <summary>Checkpoint folder for in-process generation.</summary>
    [CommandOption("--checkpoint <DIR>")]
    [Description("In this process: a checkpoint folder written by moe train --in-process (instead of --model).")]
    public string? Checkpoint { get; init; }

    /// <summary>Text to continue.</summary>
    [CommandOption("--prompt <TEXT>")]
    [Description("The text to continue.")]
    public string? Prompt { get; init; }

    /// <summary>Tokens to generate.</summary>
    [CommandOption("--max-tokens <N>")]
    [Description("Tokens to generate. Default: 64.")]
    public int MaxTokens { get; init; } = 64;

    /// <summary>Sampling temperature.</summary>
    [CommandOption("--temperature <T>")]
    [Description("0 = greedy (default); otherwise the softmax temperature.")]
    public double Temperature { get; init; }

    /// <summary>Top-k.</summary>
    [CommandOption("--top-k <K>")]
    [Description("Sample from the K most likely tokens; 0 = off (default).")]
    public int TopK { get; init; }

    /// <summary>Nucleus.</summary>
    [CommandOption("--top-p <P>")]
    [Description("Nucleus sampling: the smallest set with probability ≥ P; 1 = off (default).")]
    public double TopP { get; init; } = 1;

    /// <summary>Sampling seed.</summary>
    [CommandOption("--seed <S>")]
    [Description("Seeds sampling. Default: 0.")]
    public int Seed { get; init; }
}
