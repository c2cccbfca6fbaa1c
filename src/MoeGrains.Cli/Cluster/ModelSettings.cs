using System.ComponentModel;
using Spectre.Console.Cli;

namespace MoeGrains.Cli.Cluster;

/// <summary>Options of a verb about one model in the cluster.</summary>
public abstract class ModelSettings : ClusterSettings
{
    /// <summary>Model name.</summary>
    [CommandOption("--model <NAME>")]
    [Description("The model (as named by moe train).")]
    public string? Model { get; init; }

    /// <summary>The model name, or a clear error when it is missing.</summary>
    public string RequireModel() => string.IsNullOrWhiteSpace(Model) ? throw new ArgumentException("--model NAME is required.") : Model;
}
