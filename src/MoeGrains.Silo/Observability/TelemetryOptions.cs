namespace MoeGrains.Silo.Observability;

/// <summary>
/// Which OpenTelemetry exporters run (metrics of the <c>MoeGrains</c> and <c>Microsoft.Orleans</c> meters, traces of
/// Orleans' grain-call activities). Bound from <see cref="SectionName"/>; nothing is exported unless an exporter is enabled.
/// </summary>
public sealed class TelemetryOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "MoeGrains:Telemetry";

    /// <summary>The <c>service.name</c> resource attribute; unset means the process's role (<c>moe-silo</c>, <c>moe</c>).</summary>
    public string? ServiceName { get; set; }

    /// <summary>How often push exporters (OTLP, console) export metrics (default 10 s).</summary>
    public TimeSpan ExportInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The OTLP exporter (metrics and traces).</summary>
    public TelemetryOtlpOptions Otlp { get; set; } = new();

    /// <summary>The Prometheus scrape endpoint (metrics).</summary>
    public TelemetryPrometheusOptions Prometheus { get; set; } = new();

    /// <summary>The console exporter (metrics and traces), for a look without a collector.</summary>
    public TelemetryConsoleOptions Console { get; set; } = new();

    /// <summary>Whether any exporter is enabled.</summary>
    public bool AnyExporter => Otlp.Enabled || Prometheus.Enabled || Console.Enabled;
}
