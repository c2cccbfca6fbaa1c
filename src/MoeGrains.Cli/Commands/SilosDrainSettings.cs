using System.ComponentModel;
using MoeGrains.Cli.Cluster;
using Spectre.Console.Cli;

namespace MoeGrains.Cli.Commands;

/// <summary>Options of <c>moe silos drain</c>.</summary>
public sealed class SilosDrainSettings : ClusterSettings
{
    /// <summary>The silo to drain.</summary>
    [CommandOption("--silo <ADDRESS>")]
    [Description("The silo's address as `moe silos list` shows it (S127.0.0.1:11112:…), or host:port.")]
    public string? Silo { get; init; }

    /// <summary>How long to wait for the silo to empty.</summary>
    [CommandOption("--timeout <SECONDS>")]
    [Description("Give up waiting after this many seconds (the drain itself goes on). Default 300.")]
    public int TimeoutSeconds { get; init; } = 300;

    /// <summary>The silo address, or a clear error when it is missing.</summary>
    public string RequireSilo() => string.IsNullOrWhiteSpace(Silo) ? throw new ArgumentException("--silo ADDRESS is required (see `moe silos list`).") : Silo;
}
