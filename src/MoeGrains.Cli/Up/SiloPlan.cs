using Microsoft.Extensions.Configuration;
using MoeGrains.Silo.Observability;

namespace MoeGrains.Cli.Up;

/// <summary>One silo of a local cluster: its ports, expert slots and dashboard role.</summary>
/// <param name="Index">0 for the primary (the gateway).</param>
/// <param name="SiloPort">Silo-to-silo port.</param>
/// <param name="GatewayPort">Client gateway port, 0 for none.</param>
/// <param name="ExpertSlots">Expert activations it accepts; 0 for a router/gateway silo.</param>
/// <param name="DashboardPort">Null without the dashboard; 0 to collect for it; else the port of its UI on 127.0.0.1.</param>
/// <param name="PrometheusPort">The port of its Prometheus endpoint, should MoeGrains__Telemetry__Prometheus__Enabled turn it on.</param>
internal sealed record SiloPlan(int Index, int SiloPort, int GatewayPort, int ExpertSlots, int? DashboardPort = null, int? PrometheusPort = null)
{
    /// <summary>The silo host's command-line configuration for this silo.</summary>
    public IEnumerable<string> Arguments(int primarySiloPort, string store)
    {
        yield return "--MoeGrains:Silo:Clustering=Localhost";
        yield return $"--MoeGrains:Silo:SiloPort={SiloPort}";
        yield return $"--MoeGrains:Silo:GatewayPort={GatewayPort}";
        if (Index > 0) yield return $"--MoeGrains:Silo:PrimarySiloEndpoint=127.0.0.1:{primarySiloPort}";
        yield return $"--MoeGrains:Accelerator:ExpertSlots={ExpertSlots}";
        yield return "--MoeGrains:Storage:Provider=Files";
        yield return $"--MoeGrains:Storage:Folder={Path.Combine(store, Cluster.EmbeddedSilo.GrainStateFolder)}";
        yield return "--MoeGrains:Checkpoints:Kind=Local";
        yield return $"--MoeGrains:Checkpoints:LocalRoot={store}";
        yield return "--Logging:LogLevel:Polly=Warning"; // Orleans' placement pipeline logs every attempt
        if (DashboardPort is { } dashboard)
        {
            yield return $"--{DashboardSettings.SectionName}:Enabled=true";
            yield return $"--{DashboardSettings.SectionName}:Port={dashboard}";
        }
        if (PrometheusPort is { } prometheus) yield return $"--{TelemetryOptions.SectionName}:Prometheus:Port={prometheus}";
    }

    /// <summary>
    /// Builds the plan: the first silos without expert slots, the last --expert-silos with; with --dashboard every silo
    /// collects and the primary serves the UI. Silo i's Prometheus port is the configured one (9464) + 1 + i, leaving
    /// the configured port to the <c>moe</c> process itself.
    /// </summary>
    public static IReadOnlyList<SiloPlan> For(UpSettings settings)
    {
        var environment = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var prometheusBase = environment.GetValue($"{TelemetryOptions.SectionName}:Prometheus:Port", TelemetryPrometheusOptions.DefaultPort);
        return [.. Enumerable.Range(0, settings.Silos).Select(i => new SiloPlan(
            i, settings.BasePort + i, i == 0 ? settings.GatewayPort : 0,
            i >= settings.Silos - settings.ExpertSiloCount ? settings.ExpertSlots : 0,
            settings.Dashboard ? (i == 0 ? settings.DashboardPort : 0) : null,
            prometheusBase + 1 + i))];
    }
}
