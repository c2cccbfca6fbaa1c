namespace MoeGrains.Silo.Observability;

/// <summary>A Prometheus scrape endpoint served by an HTTP listener of its own (no web host needed).</summary>
public sealed class TelemetryPrometheusOptions
{
    /// <summary>The default port (Prometheus' registered exporter port for OpenTelemetry).</summary>
    public const int DefaultPort = 9464;

    /// <summary>Serve the endpoint (default false).</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// The address to listen on (default <c>127.0.0.1</c>: only this machine can scrape); for a remote Prometheus, the
    /// address of the interface it reaches (one address: the listener cannot bind 0.0.0.0).
    /// </summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>The port (default 9464).</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>The scrape path (default <c>/metrics</c>).</summary>
    public string Path { get; set; } = "/metrics";
}
