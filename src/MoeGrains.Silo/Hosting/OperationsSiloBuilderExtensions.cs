using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MoeGrains.Silo.Hosting;

/// <summary>What running under an orchestrator needs: the health endpoint, graceful-shutdown timeouts and the drain seam.</summary>
public static class OperationsSiloBuilderExtensions
{
    /// <summary>
    /// Binds <see cref="HealthEndpointOptions"/> (<c>MoeGrains:Health</c>) and <see cref="SiloShutdownOptions"/>
    /// (<c>MoeGrains:Shutdown</c>), starts the health endpoint when a port is set, sets the host's shutdown timeout and runs
    /// every registered <see cref="ISiloDrain"/> when a graceful shutdown begins.
    /// </summary>
    public static ISiloBuilder AddMoeGrainsOperations(this ISiloBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var services = builder.Services;
        services.AddOptions<HealthEndpointOptions>().Bind(configuration.GetSection(HealthEndpointOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HealthEndpointOptions>, HealthEndpointOptionsValidator>();
        services.AddOptions<SiloShutdownOptions>().Bind(configuration.GetSection(SiloShutdownOptions.SectionName))
            .Validate(s => s.DrainTimeout > TimeSpan.Zero && s.HostTimeout > s.DrainTimeout,
                $"{SiloShutdownOptions.SectionName}:DrainTimeout must be positive and HostTimeout longer than it.")
            .ValidateOnStart();
        services.AddOptions<HostOptions>().Configure<IOptions<SiloShutdownOptions>>((host, shutdown) => host.ShutdownTimeout = shutdown.Value.HostTimeout);
        services.AddSingleton<SiloHealth>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, HealthEndpoint>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SiloDrainParticipant>();
        return builder;
    }
}
