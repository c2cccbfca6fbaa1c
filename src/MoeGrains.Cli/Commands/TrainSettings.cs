using System.ComponentModel;
using MoeGrains.Cli.Cluster;
using MoeGrains.Model;
using Spectre.Console.Cli;

namespace MoeGrains.Cli.Commands;

/// <summary>Options of <c>moe train</c>.</summary>
public sealed class TrainSettings : ClusterSettings
{
    /// <summary>Train in this process without Orleans (the reference path).</summary>
    [CommandOption("--in-process")]
    [Description("Train in this process without grains (the reference path); writes the checkpoint to --out.")]
    public bool InProcess { get; init; }

    /// <summary>Model name in the cluster.</summary>
    [CommandOption("--model <NAME>")]
    [Description("Through grains: the model's name. Default: <gate>-<config>, numbered (-2, -3, …) when the store already has it.")]
    public string? Model { get; init; }

    /// <summary>Continue training a model that exists.</summary>
    [CommandOption("--resume")]
    [Description("Through grains: train the existing --model for --steps more steps from its latest checkpoint (a new run: the learning-rate schedule and the batch order start over).")]
    public bool Resume { get; init; }

    /// <summary>Dataset name in the cluster.</summary>
    [CommandOption("--dataset <NAME>")]
    [Description("Through grains: the name the corpus is uploaded as. Default: the corpus folder's name.")]
    public string? Dataset { get; init; }

    /// <summary>Checkpoint interval in steps.</summary>
    [CommandOption("--checkpoint-every <N>")]
    [Description("Through grains: commit a checkpoint every N steps (and at the end). Default: 100.")]
    public int CheckpointEvery { get; init; } = 100;

    /// <summary>DEMix phase 2: one expert per domain after the shared phase.</summary>
    [CommandOption("--branch")]
    [Description("With --gate domain (or dense): after training the shared model (phase 1, --steps), branch-train one expert per domain on its own data (phase 2, --branch-steps), all at once.")]
    public bool Branch { get; init; }

    /// <summary>Branch-training steps per expert.</summary>
    [CommandOption("--branch-steps <N>")]
    [Description("With --branch: steps per domain expert. Default: --steps.")]
    public int? BranchSteps { get; init; }

    /// <summary>Blocks per branch-training step.</summary>
    [CommandOption("--branch-batch <B>")]
    [Description("With --branch: blocks per step of each domain expert. Default: --batch.")]
    public int? BranchBatch { get; init; }

    /// <summary>Peak learning rate of each branch's own schedule.</summary>
    [CommandOption("--branch-lr <X>")]
    [Description("With --branch: peak learning rate of each domain expert's schedule (warm-up, cosine decay, like phase 1's). Default: --lr.")]
    public double? BranchLearningRate { get; init; }

    /// <summary>Branch-Train-Merge: train all parameters of each branch.</summary>
    [CommandOption("--btm")]
    [Description("With --branch: train every parameter of each branch (Branch-Train-Merge) instead of its FFNs only (DEMix).")]
    public bool Btm { get; init; }

    /// <summary>Domains left out of training.</summary>
    [CommandOption("--hold-out <DOMAINS>")]
    [Description("With --branch: comma-separated domains left out of both phases (still evaluated).")]
    public string? HoldOut { get; init; }

    /// <summary>The peak learning rate: --lr, or the preset's default.</summary>
    public double LearningRateFor(ModelConfig config) => LearningRate ?? (config.Preset == "tiny" ? 1e-2 : 3e-3);
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
    [Description("Where metrics.jsonl and loss.png (and, with --in-process, the checkpoint) go. Default: ./runs/<model> (in-process: ./runs/<gate>-<config>).")]
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

    /// <summary>Skip the evaluation after training.</summary>
    [CommandOption("--no-eval")]
    [Description("Do not print the validation perplexity table after training.")]
    public bool NoEval { get; init; }
}
