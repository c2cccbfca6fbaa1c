using System.ComponentModel;
using MoeGrains.Cli.Cluster;
using Spectre.Console.Cli;

namespace MoeGrains.Cli.Commands;

/// <summary>Options of <c>moe report</c>.</summary>
public sealed class ReportSettings : ModelSettings
{
    /// <summary>A training output folder to report on instead of a model.</summary>
    [CommandOption("--run <DIR>")]
    [Description("Report on a training output folder (its metrics.jsonl) instead of a model in the cluster.")]
    public string? Run { get; init; }

    /// <summary>Where the PNGs go.</summary>
    [CommandOption("--out <DIR>")]
    [Description("Folder for the PNGs. Default: ./reports/<model>, or <DIR>/report with --run.")]
    public string? Out { get; init; }

    /// <inheritdoc/>
    public override Spectre.Console.ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Model) == string.IsNullOrWhiteSpace(Run))
            return Spectre.Console.ValidationResult.Error("moe report needs exactly one of --model NAME and --run DIR.");
        if (Run is not null && (Cluster is not null || Store is not null))
            return Spectre.Console.ValidationResult.Error("--run reads a folder; --cluster and --store apply to --model only.");
        return Spectre.Console.ValidationResult.Success();
    }
}
