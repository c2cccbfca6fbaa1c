using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MoeGrains.Grains.Cluster;

namespace MoeGrains.Silo.Hosting;

/// <summary>What running under an orchestrator needs: the health endpoint and the graceful-shutdown timeout.</summary>
public static class OperationsSiloBuilderExtensions
{
    /// <summary>
    /// Binds <see cref="HealthEndpointOptions"/> (<c>MoeGrains:Health</c>) and <see cref="SiloShutdownOptions"/>
    /// (<c>MoeGrains:Shutdown</c>), starts the health endpoint when a port is set (readiness fails from the start of a graceful
    /// shutdown, while the grains' <see cref="ISiloDrain"/>s run) and sets the host's shutdown timeout.
    /// </summary>
    public static ISiloBuilder AddMoeGrainsOperations(this ISiloBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var services = builder.Services;
        services.AddOptions<HealthEndpointOptions>().Bind(configuration.GetSection(HealthEndpointOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HealthEndpointOptions>, HealthEndpointOptionsValidator>();
        services.AddOptions<SiloShutdownOptions>().Bind(configuration.GetSection(SiloShutdownOptions.SectionName))
            .Validate<IOptions<SiloDrainOptions>>((s, drain) => s.HostTimeout > drain.Value.DrainTimeout,
                $"{SiloShutdownOptions.SectionName}:HostTimeout must be longer than {SiloDrainOptions.SectionName}:DrainTimeout (the drain runs inside it).")
            .ValidateOnStart();
        services.AddOptions<HostOptions>().Configure<IOptions<SiloShutdownOptions>>((host, shutdown) => host.ShutdownTimeout = shutdown.Value.HostTimeout);
        services.AddSingleton<SiloHealth>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, HealthEndpoint>();
        return builder;
    }
}
