using System.ComponentModel;
using Spectre.Console.Cli;

namespace MoeGrains.Cli.Cluster;

/// <summary>Options of every verb that works through grains: a running cluster, or an embedded single-silo one.</summary>
public abstract class ClusterSettings : CommandSettings
{
    /// <summary>Gateway list or client configuration file; null for an embedded silo.</summary>
    [CommandOption("--cluster <GATEWAYS|FILE>")]
    [Description("A running cluster: gateways (127.0.0.1:30000[,…]) or a JSON configuration file with the silo host's keys. Default: start an embedded single-silo cluster in this process.")]
    public string? Cluster { get; init; }

    /// <summary>Embedded mode's local checkpoint store.</summary>
    [CommandOption("--store <DIR>")]
    [Description("Embedded mode only: the local checkpoint store (grain state in DIR/grain-state). Default: ./.moegrains/store.")]
    public string? Store { get; init; }

    /// <summary>Device for the embedded silo's experts.</summary>
    [CommandOption("--device <DEVICE>")]
    [Description("auto | cpu | cuda | cuda:N. Default: auto (CPU when CUDA is unavailable). With --cluster the silos decide.")]
    public string Device { get; init; } = "auto";

    /// <summary>The store folder embedded mode uses.</summary>
    public string StoreFolder => Path.GetFullPath(string.IsNullOrWhiteSpace(Store) ? Path.Combine(".moegrains", "store") : Store);
}
