using System.ComponentModel;
using Spectre.Console.Cli;

namespace MoeGrains.Cli.Up;

/// <summary>Options of <c>moe up</c>.</summary>
public sealed class UpSettings : CommandSettings
{
    /// <summary>Silo processes.</summary>
    [CommandOption("--silos <N>")]
    [Description("Silo processes to start. Default: 2.")]
    public int Silos { get; init; } = 2;

    /// <summary>Silos with expert slots.</summary>
    [CommandOption("--expert-silos <M>")]
    [Description("How many of them host experts (the last M). Default: N-1, or 1 for a single silo.")]
    public int? ExpertSilos { get; init; }

    /// <summary>First silo port.</summary>
    [CommandOption("--base-port <P>")]
    [Description("Silo i listens on port P+i (silo-to-silo). Default: 11111.")]
    public int BasePort { get; init; } = 11111;

    /// <summary>Gateway port of the first silo.</summary>
    [CommandOption("--gateway-port <G>")]
    [Description("The first silo's client gateway port. Default: 30000.")]
    public int GatewayPort { get; init; } = 30000;

    /// <summary>Shared checkpoint store.</summary>
    [CommandOption("--store <DIR>")]
    [Description("The local checkpoint store every silo shares (grain state in DIR/grain-state). Default: ./.moegrains/store.")]
    public string? Store { get; init; }

    /// <summary>Expert slots per expert silo.</summary>
    [CommandOption("--expert-slots <S>")]
    [Description("Expert activations each expert silo accepts. Default: 64.")]
    public int ExpertSlots { get; init; } = 64;

    /// <summary>Run the Orleans Dashboard.</summary>
    [CommandOption("--dashboard")]
    [Description("Run the Orleans Dashboard: every silo collects, the primary serves the UI on 127.0.0.1:--dashboard-port (no authentication).")]
    public bool Dashboard { get; init; }

    /// <summary>The dashboard UI's port.</summary>
    [CommandOption("--dashboard-port <PORT>")]
    [Description("The dashboard UI's port on 127.0.0.1. Default: 8080.")]
    public int DashboardPort { get; init; } = Silo.Observability.DashboardSettings.DefaultPort;

    /// <summary>Number of expert silos, after defaults.</summary>
    public int ExpertSiloCount => ExpertSilos ?? (Silos > 1 ? Silos - 1 : 1);

    /// <summary>The store folder.</summary>
    public string StoreFolder => Path.GetFullPath(string.IsNullOrWhiteSpace(Store) ? Path.Combine(".moegrains", "store") : Store);

    /// <inheritdoc/>
    public override Spectre.Console.ValidationResult Validate()
    {
        if (Silos < 1) return Spectre.Console.ValidationResult.Error($"--silos must be at least 1 (got {Silos}).");
        if (ExpertSiloCount < 1 || ExpertSiloCount > Silos)
            return Spectre.Console.ValidationResult.Error($"--expert-silos must be between 1 and --silos={Silos} (got {ExpertSiloCount}).");
        if (ExpertSlots < 1) return Spectre.Console.ValidationResult.Error($"--expert-slots must be positive (got {ExpertSlots}).");
        if (BasePort < 1 || BasePort + Silos - 1 > 65535) return Spectre.Console.ValidationResult.Error($"--base-port {BasePort} leaves no room for {Silos} silo ports.");
        if (GatewayPort is < 1 or > 65535) return Spectre.Console.ValidationResult.Error($"--gateway-port must be 1 to 65535 (got {GatewayPort}).");
        if (DashboardPort is < 1 or > 65535) return Spectre.Console.ValidationResult.Error($"--dashboard-port must be 1 to 65535 (got {DashboardPort}).");
        if (GatewayPort >= BasePort && GatewayPort < BasePort + Silos)
            return Spectre.Console.ValidationResult.Error($"--gateway-port {GatewayPort} collides with the silo ports {BasePort}-{BasePort + Silos - 1}.");
        return Spectre.Console.ValidationResult.Success();
    }
}
