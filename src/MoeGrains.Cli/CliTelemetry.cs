using Microsoft.Extensions.Configuration;
using MoeGrains.Silo.Observability;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MoeGrains.Cli;

/// <summary>
/// OpenTelemetry for the <c>moe</c> process (the client, an embedded silo, in-process training): the silo host's
/// <c>MoeGrains:Telemetry</c> keys, read from environment variables (<c>MoeGrains__Telemetry__Console__Enabled=true</c>).
/// Nothing is exported unless asked.
/// </summary>
internal sealed class CliTelemetry : IDisposable
{
    /// <summary>The <c>service.name</c> of the command line when <c>MoeGrains:Telemetry:ServiceName</c> is not set.</summary>
    public const string DefaultServiceName = "moe";

    private readonly MeterProvider? metrics;
    private readonly TracerProvider? tracing;

    private CliTelemetry(MeterProvider? metrics, TracerProvider? tracing)
    {
        this.metrics = metrics;
        this.tracing = tracing;
    }

    /// <summary>Starts the exporters the environment asks for.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is invalid (the message names its key).</exception>
    public static CliTelemetry Start() => Start(new ConfigurationBuilder().AddEnvironmentVariables().Build());

    /// <summary>Starts the exporters <paramref name="configuration"/> asks for.</summary>
    public static CliTelemetry Start(IConfiguration configuration)
    {
        var options = ValidatedOptions.Bind<TelemetryOptions, TelemetryOptionsValidator>(configuration, TelemetryOptions.SectionName);
        if (!options.AnyExporter) return new CliTelemetry(null, null);
        var resource = ResourceBuilder.CreateDefault().AddService(options.ServiceName is { Length: > 0 } name ? name : DefaultServiceName);
        var meterProvider = TelemetryPipelines.Configure(Sdk.CreateMeterProviderBuilder().SetResourceBuilder(resource), options).Build();
        var tracerProvider = TelemetryPipelines.HasTraceExporter(options)
            ? TelemetryPipelines.Configure(Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource), options).Build()
            : null;
        return new CliTelemetry(meterProvider, tracerProvider);
    }

    /// <summary>Flushes and stops the exporters.</summary>
    public void Dispose()
    {
        tracing?.Dispose();
        metrics?.Dispose();
    }
}
