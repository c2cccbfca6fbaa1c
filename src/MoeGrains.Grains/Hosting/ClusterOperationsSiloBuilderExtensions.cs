using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MoeGrains.Grains.Cluster;

namespace MoeGrains.Grains.Hosting;

/// <summary>Registers silo drain: the placement of each silo's experts agent and the one shutdown drain with the expert drain in it.</summary>
public static class ClusterOperationsSiloBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="SiloKeyedPlacement"/>, binds <see cref="SiloDrainOptions"/> from <c>MoeGrains:Silo</c>
    /// (<c>DrainOnShutdown</c>, <c>DrainTimeout</c>), registers <see cref="ExpertDrain"/> as the <see cref="ISiloDrain"/> and the
    /// lifecycle stage that runs every registered drain when the silo stops; with <c>DrainOnShutdown=true</c> a stopping silo
    /// drains its experts first.
    /// </summary>
    public static ISiloBuilder AddMoeGrainsClusterOperations(this ISiloBuilder builder, IConfiguration configuration)
    {
        builder.AddPlacementDirector<SiloKeyedPlacement, SiloKeyedPlacementDirector>();
        builder.Services.AddOptions<SiloDrainOptions>()
            .Bind(configuration.GetSection(SiloDrainOptions.SectionName))
            .Validate(o => o.DrainTimeout > TimeSpan.Zero, $"{SiloDrainOptions.SectionName}:DrainTimeout must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<ISiloDrain, ExpertDrain>();
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SiloDrainParticipant>();
        return builder;
    }
}
