namespace MoeGrains.Silo.Observability;

/// <summary>The console exporter: metrics and traces printed to standard output.</summary>
public sealed class TelemetryConsoleOptions
{
    /// <summary>Print telemetry (default false).</summary>
    public bool Enabled { get; set; }
}
