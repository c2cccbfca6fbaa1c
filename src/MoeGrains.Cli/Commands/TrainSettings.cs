using System.ComponentModel;
using Spectre.Console.Cli;

namespace MoeGrains.Cli.Commands;

/// <summary>Options of <c>moe train</c>.</summary>
public sealed class TrainSettings : CommandSettings
{
    /// <summary>Corpus folder.</summary>
    [CommandOption("--corpus <DIR>")]
    [Description("Corpus folder: <dir>/<domain>/{train,valid,test}.txt. Default: the bundled sample corpus.")]
    public string? Corpus { get; init; }

    /// <summary>Gate name.</summary>
    [CommandOption("--gate <GATE>")]
    [Description("dense | switch | top2 | base | hash | domain. Default: switch.")]
    public string Gate { get; init; } = "switch";

    /// <summary>Preset name.</summary>
    [CommandOption("--config <PRESET>")]
    [Description("tiny | small | base. Default: small.")]
    public string Config { get; init; } = "small";

    /// <summary>Optimizer steps.</summary>
    [CommandOption("--steps <N>")]
    [Description("Optimizer steps. Default: 300.")]
    public int Steps { get; init; } = 300;

    /// <summary>Output folder.</summary>
    [CommandOption("--out <DIR>")]
    [Description("Where the checkpoint, metrics.jsonl and loss.png go. Default: ./runs/<gate>-<config>.")]
    public string? Out { get; init; }

    /// <summary>Seed.</summary>
    [CommandOption("--seed <S>")]
    [Description("Seed for weights, routing and batches. Default: 1234.")]
    public int Seed { get; init; } = 1234;

    /// <summary>Tokenizer name.</summary>
    [CommandOption("--tokenizer <NAME>")]
    [Description("bytes | gpt2. Default: bytes.")]
    public string Tokenizer { get; init; } = "bytes";

    /// <summary>Peak learning rate.</summary>
    [CommandOption("--lr <X>")]
    [Description("Peak learning rate. Default: 0.003 (tiny: 0.01).")]
    public double? LearningRate { get; init; }

    /// <summary>Blocks per step.</summary>
    [CommandOption("--batch <B>")]
    [Description("Blocks per step. Default: 16.")]
    public int Batch { get; init; } = 16;

    /// <summary>Device.</summary>
    [CommandOption("--device <DEVICE>")]
    [Description("auto | cpu | cuda | cuda:N. Default: auto (CPU when CUDA is unavailable).")]
    public string Device { get; init; } = "auto";

    /// <summary>Skip the evaluation after training.</summary>
    [CommandOption("--no-eval")]
    [Description("Do not print the validation perplexity table after training.")]
    public bool NoEval { get; init; }
}
