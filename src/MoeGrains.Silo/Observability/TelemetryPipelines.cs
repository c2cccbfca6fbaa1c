using System.Net;
using System.Net.Sockets;
using MoeGrains.Diagnostics;
using Orleans.Diagnostics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace MoeGrains.Silo.Observability;

/// <summary>The metric and trace pipelines of <see cref="TelemetryOptions"/>, for a hosted or a process-wide provider alike.</summary>
public static class TelemetryPipelines
{
    /// <summary>Orleans' own meter.</summary>
    public const string OrleansMeterName = "Microsoft.Orleans";

    /// <summary>The activity sources of grain calls that <c>AddActivityPropagation</c> traces.</summary>
    public static readonly string[] OrleansActivitySources =
        [ActivitySources.ApplicationGrainActivitySourceName, ActivitySources.RuntimeActivitySourceName];

    /// <summary>The meters exported.</summary>
    public static readonly string[] Meters = [MoeMetrics.MeterName, OrleansMeterName];

    /// <summary>The Prometheus scrape URL, e.g. <c>http://127.0.0.1:9464/metrics</c>.</summary>
    public static string PrometheusUrl(TelemetryPrometheusOptions prometheus) =>
        $"http://{new IPEndPoint(IPAddress.Parse(prometheus.Address), prometheus.Port)}{prometheus.Path}";

    /// <summary>Adds the meters and the enabled exporters (OTLP, Prometheus, console) to <paramref name="metrics"/>.</summary>
    public static MeterProviderBuilder Configure(MeterProviderBuilder metrics, TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(options);
        var interval = (int)Math.Min(int.MaxValue, options.ExportInterval.TotalMilliseconds);
        metrics.AddMeter(Meters);
        if (options.Otlp.Enabled)
            metrics.AddOtlpExporter((exporter, reader) =>
            {
                exporter.Endpoint = OtlpEndpoint(options.Otlp, "metrics");
                exporter.Protocol = options.Otlp.Protocol;
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = interval;
            });
        if (options.Prometheus.Enabled)
            metrics.AddPrometheusHttpListener(listener =>
            {
                var address = IPAddress.Parse(options.Prometheus.Address);
                listener.Host = ListenerHost(address);
                listener.Port = options.Prometheus.Port;
                listener.ScrapeEndpointPath = options.Prometheus.Path;
            });
        if (options.Console.Enabled)
            metrics.AddConsoleExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = interval);
        return metrics;
    }

    /// <summary>Adds Orleans' grain-call activity sources and the enabled trace exporters (OTLP, console) to <paramref name="tracing"/>.</summary>
    public static TracerProviderBuilder Configure(TracerProviderBuilder tracing, TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(tracing);
        ArgumentNullException.ThrowIfNull(options);
        tracing.AddSource(OrleansActivitySources);
        if (options.Otlp.Enabled)
            tracing.AddOtlpExporter(exporter =>
            {
                exporter.Endpoint = OtlpEndpoint(options.Otlp, "traces");
                exporter.Protocol = options.Otlp.Protocol;
            });
        if (options.Console.Enabled) tracing.AddConsoleExporter();
        return tracing;
    }

    /// <summary>HttpListener's host for an address (brackets around IPv6).</summary>
    private static string ListenerHost(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();

    /// <summary>
    /// The collector address of one signal: the configured endpoint for gRPC; for HTTP/protobuf the endpoint plus
    /// <c>v1/{signal}</c>, since an endpoint set in code is used as it is.
    /// </summary>
    public static Uri OtlpEndpoint(TelemetryOtlpOptions otlp, string signal)
    {
        ArgumentNullException.ThrowIfNull(otlp);
        var endpoint = new Uri(otlp.Endpoint!);
        if (otlp.Protocol != OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf) return endpoint;
        return new Uri($"{endpoint.AbsoluteUri.TrimEnd('/')}/v1/{signal}");
    }

    /// <summary>Whether <paramref name="options"/> enable a trace exporter (Prometheus takes metrics only).</summary>
    public static bool HasTraceExporter(TelemetryOptions options) => options.Otlp.Enabled || options.Console.Enabled;
}
