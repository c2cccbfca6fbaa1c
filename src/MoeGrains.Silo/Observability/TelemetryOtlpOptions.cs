using OpenTelemetry.Exporter;

namespace MoeGrains.Silo.Observability;

/// <summary>The OTLP exporter: on when <see cref="Endpoint"/> is set.</summary>
public sealed class TelemetryOtlpOptions
{
    /// <summary>The collector, e.g. <c>http://127.0.0.1:4317</c> (gRPC) or <c>http://127.0.0.1:4318</c> (HTTP); unset turns OTLP off.</summary>
    public string? Endpoint { get; set; }

    /// <summary><c>Grpc</c> (default) or <c>HttpProtobuf</c>.</summary>
    public OtlpExportProtocol Protocol { get; set; } = OtlpExportProtocol.Grpc;

    /// <summary>Whether OTLP export is on.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Endpoint);
}
