using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Resources;
using Orleans.Dashboard;

namespace MoeGrains.Silo.Observability;

/// <summary>
/// OpenTelemetry (<see cref="TelemetryOptions"/>, <c>MoeGrains:Telemetry</c>), grain-call activity propagation and the
/// Orleans Dashboard (<see cref="DashboardSettings"/>, <c>MoeGrains:Dashboard</c>) for a silo.
/// </summary>
public static class ObservabilitySiloBuilderExtensions
{
    /// <summary>The <c>service.name</c> of silo hosts when <c>MoeGrains:Telemetry:ServiceName</c> is not set.</summary>
    public const string DefaultServiceName = "moe-silo";

    /// <summary>
    /// Propagates <see cref="System.Diagnostics.Activity"/> context across grain calls; exports the <c>MoeGrains</c> and
    /// <c>Microsoft.Orleans</c> meters and Orleans' grain-call traces through the enabled exporters; adds the Orleans
    /// Dashboard when <c>MoeGrains:Dashboard:Enabled</c>, serving its UI on <c>Address:Port</c> unless the port is 0.
    /// </summary>
    /// <exception cref="OptionsValidationException">A setting is invalid (the message names its key).</exception>
    public static ISiloBuilder UseMoeGrainsObservability(this ISiloBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        var telemetry = ValidatedOptions.Bind<TelemetryOptions, TelemetryOptionsValidator>(configuration, TelemetryOptions.SectionName);
        var dashboard = ValidatedOptions.Bind<DashboardSettings, DashboardSettingsValidator>(configuration, DashboardSettings.SectionName);
        builder.Services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.SectionName));
        builder.Services.AddOptions<DashboardSettings>().Bind(configuration.GetSection(DashboardSettings.SectionName));

        builder.AddActivityPropagation();
        if (telemetry.AnyExporter)
        {
            var otel = builder.Services.AddOpenTelemetry()
                .ConfigureResource(resource => resource.AddService(telemetry.ServiceName is { Length: > 0 } name ? name : DefaultServiceName))
                .WithMetrics(metrics => TelemetryPipelines.Configure(metrics, telemetry));
            if (TelemetryPipelines.HasTraceExporter(telemetry)) otel.WithTracing(tracing => TelemetryPipelines.Configure(tracing, telemetry));
        }

        if (dashboard.Enabled)
        {
            builder.AddDashboard();
            var dashboardAssembly = typeof(DashboardOptions).Assembly;
            var forwarded = builder.Services
                .Where(d => !d.IsKeyedService && d.Lifetime == ServiceLifetime.Singleton && d.ServiceType.Assembly == dashboardAssembly
                    && !d.ServiceType.IsGenericTypeDefinition)
                .Select(d => d.ServiceType).Distinct().ToList();
            builder.Services.AddSingleton(new DashboardServiceTypes(forwarded));
            if (dashboard.Port != 0)
            {
                builder.Services.AddSingleton<DashboardWebHost>();
                builder.Services.AddHostedService(services => services.GetRequiredService<DashboardWebHost>());
            }
        }
        return builder;
    }
}
